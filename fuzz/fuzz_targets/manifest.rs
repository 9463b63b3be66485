//! Manifest decoding: any text, as `kubectl apply -f` would read it, must decode or give an
//! error — never panic, never recurse without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for doc in k8s_lab::runtime::manifest::decode_manifests(text, "fuzz.yaml") {
        if let Ok(obj) = doc {
            // What kubectl prints back must work for whatever decoded.
            let _ = k8s_lab::runtime::manifest::to_yaml(&obj.to_json());
        }
    }
});
