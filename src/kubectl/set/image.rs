//! `kubectl set image (TYPE NAME | TYPE/NAME)… CONTAINER=IMAGE…`: the usual way to start a
//! rollout from the command line. `*=IMAGE` sets every container; a container that does not
//! exist is reported after the objects that did change.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Container;

use super::{apply, find, no_pod_template, pod_spec_mut, split_pairs};
use crate::io::Output;
use crate::kubectl::args::Parsed;
use crate::kubectl::printers::Format;
use crate::kubectl::{fail, fail_all, Ctx};

/// kubectl's `ParsePairs` without removals: `NAME=IMAGE` only. Sorted by container name (kubectl
/// walks a Go map, in no fixed order).
fn parse_images(pairs: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut images = BTreeMap::new();
    let mut invalid = Vec::new();
    for p in pairs {
        match p.split_once('=') {
            Some((name, image)) if !name.is_empty() => {
                images.insert(name.to_string(), image.to_string());
            }
            _ => invalid.push(p.as_str()),
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid image format: {}", invalid.join(", ")));
    }
    Ok(images)
}

/// Set `image` on the containers called `name` (all of them for `*`); whether any matched.
fn set_image(containers: &mut [Container], name: &str, image: &str) -> bool {
    let mut found = false;
    for c in containers.iter_mut().filter(|c| name == "*" || c.name == name) {
        c.image = Some(image.to_string());
        found = true;
    }
    found
}

/// `kubectl set image`.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    let format = match Format::parse_object(p.get("output"), p.get("template")) {
        Ok(f) => f,
        Err(e) => return fail(out, &e),
    };
    let (resources, pairs) = match split_pairs(args, "image") {
        Ok(x) => x,
        Err(e) => return fail(out, &e),
    };
    let images = match parse_images(&pairs) {
        Ok(i) => i,
        Err(e) => return fail(out, &e),
    };
    let objs = match find(ctx, p, &resources) {
        Ok(o) => o,
        Err(errs) => return fail_all(out, &errs),
    };
    let mut invalid = Vec::new();
    if p.on("all") && p.get("selector").is_some_and(|s| !s.is_empty()) {
        invalid.push("cannot set --all and --selector at the same time".to_string());
    }
    if images.is_empty() {
        invalid.push("at least one image update is required".to_string());
    } else if images.len() > 1 && images.contains_key("*") {
        invalid.push(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs"
                .to_string(),
        );
    }
    if !invalid.is_empty() {
        return fail_all(out, &invalid);
    }
    // kubectl works out every object's change first (collecting unknown containers), then sends.
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    for obj in &objs {
        let mut edited = (**obj).clone();
        let Some(spec) = pod_spec_mut(&mut edited) else {
            edits.push((obj, Err(no_pod_template(obj))));
            continue;
        };
        for (name, image) in &images {
            let in_init = set_image(spec.init_containers.as_deref_mut().unwrap_or_default(), name, image);
            let in_main = set_image(&mut spec.containers, name, image);
            if !in_init && !in_main {
                errors.push(format!("error: unable to find container named {name:?}"));
            }
        }
        edits.push((obj, Ok(edited)));
    }
    for (obj, edit) in edits {
        match edit.and_then(|e| apply(ctx, obj, e, format.as_ref(), "image updated", "image", out)) {
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    fail_all(out, &errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn pairs_follow_resources() {
        let (r, p) = split_pairs(&s(&["deploy", "web", "nginx=nginx:1.27", "*=x"]), "image").unwrap();
        assert_eq!((r, p), (s(&["deploy", "web"]), s(&["nginx=nginx:1.27", "*=x"])));
        assert_eq!(
            split_pairs(&s(&["nginx=x", "deploy/web"]), "image").unwrap_err(),
            "all resources must be specified before image changes: deploy/web"
        );
        assert_eq!(
            parse_images(&s(&["nginx-"])).unwrap_err(),
            "invalid image format: nginx-"
        );
        assert_eq!(parse_images(&s(&["a=b=c"])).unwrap()["a"], "b=c");
    }
}
