//! kubectl's argument parser with every verb's flags, and resource targets (`svc/web`,
//! `deploy,svc`): any argument list must parse or give kubectl's error.
#![no_main]

use k8s_lab::kubectl::args::{parse, GLOBAL};
use k8s_lab::kubectl::resources::parse_targets;
use k8s_lab::kubectl::verbs::VERBS;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    // Arguments as the shell would pass them: split on NUL so any other byte can be in one.
    let args: Vec<String> = text.split('\0').map(str::to_string).collect();
    let verb = &VERBS[pick as usize % VERBS.len()];
    if let Ok(parsed) = parse(&args, &[GLOBAL, verb.flags]) {
        let _ = parse_targets(&parsed.positional);
    }
});
