//! The lab shell's parser: any line a learner could type or paste, in both modes.
#![no_main]

use k8s_lab::shell::parse::{needs_more, parse, Mode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = needs_more(text);
    let _ = parse(text, Mode::Interactive);
    let _ = parse(text, Mode::Final);
});
