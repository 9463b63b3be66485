//! `kubectl set env (TYPE NAME | TYPE/NAME)… KEY=VALUE… KEY-…`: add, change or remove container
//! environment variables in a pod template, or list them with `--list`. `-c` picks containers by
//! a `*` wildcard, `-e` adds pairs (`-e -` reads `KEY=VALUE` lines from stdin) and
//! `--overwrite=false` refuses to change a variable that already has another value.

use k8s_openapi::api::core::v1::{Container, EnvVar, EnvVarSource};

use super::{apply, find, no_pod_template, pod_spec_mut};
use crate::io::Output;
use crate::kubectl::args::Parsed;
use crate::kubectl::printers::Format;
use crate::kubectl::{fail, fail_all, Ctx};

/// kubectl's `IsEnvironmentArgument` (`^(.+)=(.*)$`) or the `KEY-` removal form.
fn is_env_arg(s: &str) -> bool {
    s.char_indices().any(|(i, c)| c == '=' && i > 0) || s.ends_with('-')
}

/// kubectl's `SplitEnvironmentFromResources`: resources first, then environment arguments.
fn split_env(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let mut resources = Vec::new();
    let mut env = Vec::new();
    for a in args {
        match (env.is_empty(), is_env_arg(a)) {
            (_, true) => env.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => return None,
        }
    }
    Some((resources, env))
}

/// apimachinery's `IsEnvVarName`: the problems with `name`, empty if none.
fn env_name_errors(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'));
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
        errs.push(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                .to_string(),
        );
    }
    match name {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        n if n.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

/// kubectl's `ParseEnv`: the variables to set and the names to remove.
fn parse_env(specs: &[String], stdin: Option<&str>) -> Result<(Vec<EnvVar>, Vec<String>), String> {
    let mut env = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec == "-" {
            let text = stdin.ok_or("when '-' is used, STDIN must be open")?;
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("");
                if let Some((k, v)) = line.split_once('=') {
                    env.push(var(k, v));
                }
            }
        } else if let Some((k, v)) = spec.split_once('=') {
            let errs = env_name_errors(k);
            if !errs.is_empty() {
                return Err(format!("{k:?} is not a valid key name: {}", errs.join(";")));
            }
            env.push(var(k, v));
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown environment variable: {spec}"));
        }
    }
    if remove.iter().any(|r| env.iter().any(|e| &e.name == r)) {
        return Err("can not both modify and remove the same environment variable in the same command".into());
    }
    Ok((env, remove))
}

fn var(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value: Some(value.to_string()),
        value_from: None,
    }
}

/// kubectl's `updateEnv`: existing variables keep their place (replaced or removed), new ones are
/// appended in the order given.
fn update_env(existing: &[EnvVar], env: &[EnvVar], remove: &[String]) -> Vec<EnvVar> {
    let mut covered: Vec<&str> = remove.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for e in existing {
        if covered.contains(&e.name.as_str()) {
            continue;
        }
        match env.iter().find(|n| n.name == e.name) {
            Some(newer) => {
                covered.push(&e.name);
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in env {
        if !covered.contains(&e.name.as_str()) {
            covered.push(&e.name);
            out.push(e.clone());
        }
    }
    out
}

/// kubectl's `selectString`: `spec` with non-greedy `*` wildcards against a container name.
fn select(name: &str, spec: &str) -> bool {
    if spec == "*" {
        return true;
    }
    if !spec.contains('*') {
        return name == spec;
    }
    let parts: Vec<&str> = spec.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let Some(next) = name[pos..].find(part) else {
            return false;
        };
        let at = pos + next;
        if (i == 0 && at != 0) || (i == parts.len() - 1 && at + part.len() != name.len()) {
            return false;
        }
        pos = at + part.len();
    }
    true
}

/// How `--list` shows a variable that comes from elsewhere (kubectl's `GetEnvVarRefString`).
fn ref_string(from: &EnvVarSource) -> String {
    if let Some(r) = &from.config_map_key_ref {
        format!("configmap {}, key {}", r.name, r.key)
    } else if let Some(r) = &from.secret_key_ref {
        format!("secret {}, key {}", r.name, r.key)
    } else if let Some(r) = &from.field_ref {
        format!("field path {}", r.field_path)
    } else if let Some(r) = &from.resource_field_ref {
        let prefix = r.container_name.as_deref().map(|c| format!("{c}/")).unwrap_or_default();
        format!("resource field {prefix}{}", r.resource)
    } else {
        "invalid valueFrom".into()
    }
}

/// `--list`: one block per container, as kubectl prints it.
fn list(out: &Output, kind: &str, name: &str, c: &Container) {
    out.line(&format!("# {kind} {name}, container {}", c.name));
    for e in c.env.as_deref().unwrap_or_default() {
        match &e.value_from {
            None => out.line(&format!("{}={}", e.name, e.value.as_deref().unwrap_or(""))),
            Some(from) => out.line(&format!("# {} from {}", e.name, ref_string(from))),
        }
    }
}

/// `kubectl set env`.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    if p.on("all") && p.get("selector").is_some_and(|s| !s.is_empty()) {
        return fail(out, "cannot set --all and --selector at the same time");
    }
    let Some((resources, env_args)) = split_env(args) else {
        return fail(
            out,
            &format!(
                "all resources must be specified before environment changes: {}",
                args.join(" ")
            ),
        );
    };
    let format = match Format::parse_object(p.get("output"), p.get("template")) {
        Ok(f) => f,
        Err(e) => return fail(out, &e),
    };
    if resources.is_empty() {
        return fail(
            out,
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    let listing = p.on("list");
    if listing && format.is_some() {
        return fail(out, "--list and --output may not be specified together");
    }
    let specs: Vec<String> = p.all("env").into_iter().chain(env_args.iter().cloned()).collect();
    let (env, remove) = match parse_env(&specs, ctx.stdin) {
        Ok(x) => x,
        Err(e) => return fail(out, &e),
    };
    let objs = match find(ctx, p, &resources) {
        Ok(o) => o,
        Err(errs) => return fail_all(out, &errs),
    };
    let containers = p.get("containers").unwrap_or("*");
    let overwrite = p.get("overwrite") != Some("false");
    let mut errors = Vec::new();
    let mut edits = Vec::new();
    for obj in &objs {
        let mut edited = (**obj).clone();
        let Some(spec) = pod_spec_mut(&mut edited) else {
            edits.push((obj, Err(no_pod_template(obj))));
            continue;
        };
        let kind = obj.kind().info().name;
        let chosen: Vec<&mut Container> = spec
            .containers
            .iter_mut()
            .filter(|c| select(&c.name, containers))
            .collect();
        if chosen.is_empty() {
            out.err_line(&format!(
                "warning: {kind}/{} does not have any containers matching {containers:?}",
                obj.name()
            ));
        }
        let mut refused = None;
        for c in chosen {
            let current = c.env.clone().unwrap_or_default();
            if !overwrite {
                let clash = env
                    .iter()
                    .find_map(|e| current.iter().find(|old| old.name == e.name && old.value != e.value));
                if let Some(old) = clash {
                    refused = Some(format!(
                        "error: {}/{} '{}' already has a value ({}), and --overwrite is false\n",
                        obj.kind().info().plural,
                        obj.name(),
                        old.name,
                        old.value.as_deref().unwrap_or("")
                    ));
                    break;
                }
            }
            let updated = update_env(&current, &env, &remove);
            c.env = if updated.is_empty() && c.env.is_none() {
                None
            } else {
                Some(updated)
            };
            if listing {
                list(out, kind, obj.name(), c);
            }
        }
        edits.push((obj, refused.map_or(Ok(edited), Err)));
    }
    if listing {
        return 0;
    }
    for (obj, edit) in edits {
        match edit.and_then(|e| apply(ctx, obj, e, format.as_ref(), "env updated", "env", out)) {
            Ok(true) if env.is_empty() && env_args.is_empty() => {
                // Only `-e KEY-` removals: kubectl has patched, but asks for a variable anyway.
                return fail(out, "at least one environment variable must be provided");
            }
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
    fn arguments_split_and_parse_like_kubectl() {
        assert_eq!(
            split_env(&s(&["deploy/web", "A=1", "B-"])).unwrap(),
            (s(&["deploy/web"]), s(&["A=1", "B-"]))
        );
        assert!(split_env(&s(&["A=1", "deploy/web"])).is_none());
        let (env, remove) = parse_env(&s(&["A=1=2", "B-"]), None).unwrap();
        assert_eq!((env[0].name.as_str(), env[0].value.as_deref()), ("A", Some("1=2")));
        assert_eq!(remove, s(&["B"]));
        assert_eq!(
            parse_env(&s(&["1A=x"]), None).unwrap_err(),
            "\"1A\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        );
        assert_eq!(
            parse_env(&s(&["A=1", "A-"]), None).unwrap_err(),
            "can not both modify and remove the same environment variable in the same command"
        );
        assert_eq!(
            parse_env(&s(&["-"]), None).unwrap_err(),
            "when '-' is used, STDIN must be open"
        );
        let (env, _) = parse_env(&s(&["-"]), Some("X=1 # comment\nnot a pair\nY=2\n")).unwrap();
        assert_eq!(env.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["X", "Y"]);
        assert_eq!(env[0].value.as_deref(), Some("1 "));
    }

    #[test]
    fn updates_keep_order_and_wildcards_match_like_kubectl() {
        let old = vec![var("A", "1"), var("B", "2"), var("C", "3")];
        let new = update_env(&old, &[var("B", "20"), var("D", "4")], &s(&["A"]));
        let flat: Vec<(String, String)> = new.iter().map(|e| (e.name.clone(), e.value.clone().unwrap())).collect();
        assert_eq!(
            flat,
            [("B", "20"), ("C", "3"), ("D", "4")].map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(select("nginx", "*"));
        assert!(select("nginx", "ng*"));
        assert!(select("nginx", "*nx"));
        assert!(!select("nginx", "x*"));
        assert!(!select("sidecar", "ng*"));
    }
}
