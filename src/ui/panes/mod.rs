//! The panes of the screen, one module each. Every `render` takes the frame, its area and
//! `&App`, and draws nothing but what the state says.

pub mod editor;
pub mod help;
pub mod lesson;
pub mod resources;
pub mod status;
pub mod terminal;
pub mod traffic;

use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::app::App;
use super::draw::MIN_SIZE;
use super::{strings, theme};

/// The screen shown instead of the panes when the terminal is smaller than [`MIN_SIZE`].
pub fn too_small(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let size = strings::fill(
        app.tr(strings::TOO_SMALL_SIZE),
        &[
            ("w", area.width.to_string()),
            ("h", area.height.to_string()),
            ("mw", MIN_SIZE.0.to_string()),
            ("mh", MIN_SIZE.1.to_string()),
        ],
    );
    let lines = vec![
        Line::styled(app.tr(strings::TOO_SMALL), theme::notice()),
        Line::raw(size),
        Line::raw(""),
        Line::raw(app.tr(strings::TOO_SMALL_HINT)),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
