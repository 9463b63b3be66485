//! One frame from `&App`: the screen layout and the panes in it. Pure: the same state draws the
//! same screen, which is what the snapshot tests rely on.
//!
//! ```text
//! ┌ lesson ──────────┐┌ resources: get svc | get pods | … ┐
//! │ steps ✓          ││ NAME  TYPE  CLUSTER-IP  EXTERNAL-IP│
//! │ ──────           │└────────────────────────────────────┘
//! │ step text        │┌ terminal ──────────────────────────┐
//! │ check status     ││ output …                            │
//! │                  ││ $ input█                            │
//! └──────────────────┘└────────────────────────────────────┘
//!  F1 help  F2 hint  …                               status
//! ```

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use super::app::App;
use super::panes;

/// The smallest terminal the lab draws in.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Where everything goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub lesson: Rect,
    /// Where the editor goes while it has the keyboard: the lesson's place, widened.
    pub editor: Rect,
    pub resources: Rect,
    pub terminal: Rect,
    /// Inside the terminal pane: the output rows and the input line.
    pub output: Rect,
    pub input: Rect,
    pub status: Rect,
}

/// The layout for a `(columns, rows)` screen.
pub fn layout(size: (u16, u16)) -> Areas {
    layout_for(size, false)
}

/// The layout with the editor shown (`editor`) or not. The editor takes the lesson's column,
/// widened to half the screen: at the minimum 80 columns that is 40, enough for a manifest's
/// lines beside line numbers, and the terminal keeps 40 to show what the apply printed.
pub fn layout_for(size: (u16, u16), editor: bool) -> Areas {
    layout_with(size, editor, false)
}

/// [`layout_for`], with a taller resources pane (`tall`, for the traffic view: its paths and
/// last requests need more rows than a table; the terminal keeps the other half).
pub fn layout_with(size: (u16, u16), editor: bool, tall: bool) -> Areas {
    let area = Rect::new(0, 0, size.0, size.1);
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let lesson_w = if editor {
        (main.width / 2).clamp(40.min(main.width), 100)
    } else {
        (main.width * 7 / 20).clamp(34.min(main.width), 64)
    };
    let [lesson, right] = Layout::horizontal([Constraint::Length(lesson_w), Constraint::Min(1)]).areas(main);
    let share = if tall { right.height / 2 } else { right.height / 3 };
    let res_h = share.max(8).min(right.height);
    let [resources, terminal] = Layout::vertical([Constraint::Length(res_h), Constraint::Min(1)]).areas(right);
    let inner = ratatui::widgets::Block::bordered().inner(terminal);
    let [output, input] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    Areas {
        lesson,
        editor: lesson,
        resources,
        terminal,
        output,
        input,
        status,
    }
}

/// Draw the whole screen. The layout follows the frame's real size (a resize may reach the
/// backend a moment before its event reaches the app).
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let size = (area.width, area.height);
    if size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1 {
        panes::too_small(frame, app);
        return;
    }
    let areas = layout_with(size, app.editing(), app.traffic_shown());
    if app.editing() {
        panes::editor::render(frame, areas.editor, app);
    } else {
        panes::lesson::render(frame, areas.lesson, app);
    }
    panes::resources::render(frame, areas.resources, app);
    panes::terminal::render(frame, &areas, app);
    panes::status::render(frame, areas.status, app);
    if app.help {
        panes::help::render(frame, area, app);
    }
}
