//! Raw mode and the alternate screen, and the promise to give the terminal back whatever
//! happens: the guard's `Drop` restores it on every return path (errors included), a panic hook
//! restores it *before* the panic message is printed (otherwise the message would be drawn on
//! the alternate screen and vanish), and the event loop turns SIGTERM/SIGHUP into a normal
//! return. Only kill -9 leaves a raw terminal behind (`reset` fixes it).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once, OnceLock};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use tokio::sync::Notify;

/// The terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Owns the terminal's raw mode while it lives.
#[derive(Debug)]
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Enter raw mode and the alternate screen, with bracketed paste (a pasted heredoc arrives
    /// as one event, not as keys). Installs the panic hook on first use.
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        // From here on, a failure drops the guard, which restores the terminal.
        let guard = TerminalGuard(());
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Give the terminal back (idempotent; a no-op when the UI is not active).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Notified when any thread panics while the UI runs, so the event loop stops instead of
/// drawing over the panic message.
pub fn panic_notifier() -> Arc<Notify> {
    static NOTIFY: OnceLock<Arc<Notify>> = OnceLock::new();
    NOTIFY.get_or_init(|| Arc::new(Notify::new())).clone()
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let notify = panic_notifier();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = ACTIVE.load(Ordering::SeqCst);
            restore();
            previous(info);
            if was_active {
                notify.notify_one();
            }
        }));
    });
}
