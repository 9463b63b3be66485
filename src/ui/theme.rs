//! Styles, chosen to read on dark *and* light terminals: ordinary text keeps the terminal's own
//! colours (`Reset`), emphasis uses modifiers (bold, underline, reverse) rather than colours, and
//! the few colours used are the named ANSI ones that terminal themes tune for contrast. Where a
//! foreground is set on a background (the highlight of a changed cell), both are set, so the pair
//! reads whatever the terminal's palette.

use ratatui::style::{Color, Modifier, Style};

pub fn text() -> Style {
    Style::default()
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn heading(level: usize) -> Style {
    match level {
        1 => Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        _ => Style::default().add_modifier(Modifier::BOLD),
    }
}

/// Code blocks and inline code.
pub fn code() -> Style {
    Style::default().fg(Color::Magenta)
}

pub fn emphasis() -> Style {
    Style::default().add_modifier(Modifier::ITALIC)
}

pub fn strong() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().add_modifier(Modifier::DIM)
}

pub fn border() -> Style {
    Style::default()
}

/// The border of the pane that has the keyboard (the terminal pane).
pub fn border_focused() -> Style {
    Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn done() -> Style {
    Style::default().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn failing() -> Style {
    Style::default().fg(Color::Red)
}

pub fn current_step() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn hint() -> Style {
    Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn stderr() -> Style {
    Style::default().fg(Color::Red)
}

pub fn prompt() -> Style {
    Style::default().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn echo() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn table_header() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// A table cell that just changed (e.g. EXTERNAL-IP `<pending>` → `127.0.1.1`).
pub fn changed_cell() -> Style {
    Style::default()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn tab_active() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn status_bar() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn status_key() -> Style {
    Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

pub fn notice() -> Style {
    Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// YAML in the editor: keys bold, values in the named ANSI colours, comments dim.
pub fn yaml(token: super::highlight::Token) -> Style {
    use super::highlight::Token;
    match token {
        Token::Plain => Style::default(),
        Token::Comment => Style::default().add_modifier(Modifier::DIM | Modifier::ITALIC),
        Token::DocSep | Token::Dash => Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Token::Key => Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Token::Punct => Style::default().add_modifier(Modifier::DIM),
        Token::Str => Style::default().fg(Color::Green),
        Token::Number => Style::default().fg(Color::Magenta),
        Token::Keyword => Style::default().fg(Color::Yellow),
    }
}

/// The marker and message of a validation error in the editor.
pub fn error_marker() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}
