//! A kubectl command line as kubectl reads it, for those who judge what was asked rather than
//! how it was typed (lesson checks): the verb (aliases resolved), the flags by their long names
//! whatever form they were given in (`-w`, `--watch`, `--watch=true`, `-lapp=x`), and the
//! objects it names (`svc frontend`, `svc/frontend`, `deployments.apps backend`,
//! `expose deployment x --name=y`, `create deployment x`, `run x`, `exec x`).
//!
//! It reuses the command table ([`super::verbs`]), the flag parser ([`super::args`]) and the
//! resource-argument reader ([`super::resources`]) that run the command, so a command that
//! kubectl would read one way cannot be judged another way. What `-f` inputs contain is read
//! by [`file_objects`], through the same reader `apply` uses.

use super::apply::read_sources;
use super::args::{self, Parsed, GLOBAL};
use super::resources::{parse_targets, Target};
use super::verbs;
use super::Ctx;
use crate::runtime::manifest::decode_manifests;
use crate::runtime::{Kind, Object};

/// A parsed kubectl command line.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The verb's own name (`logs` for `log`).
    pub verb: &'static str,
    pub parsed: Parsed,
}

/// One thing a command names: a kind, and a name unless it means every object of the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub kind: Kind,
    pub name: Option<String>,
}

impl Named {
    fn one(kind: Kind, name: &str) -> Named {
        Named {
            kind,
            name: Some(name.to_string()),
        }
    }
}

/// Read `args` (the words after `kubectl`) the way the lab's kubectl does. `None` for a line
/// kubectl would refuse before doing anything (no verb, an unknown verb or flag) or answer
/// with help only (`-h`, `--help`).
pub fn parse(args: &[String]) -> Option<Invocation> {
    let i = verbs::verb_index(args);
    let verb = verbs::lookup(args.get(i)?)?;
    let rest: Vec<String> = args[..i].iter().chain(args[i + 1..].iter()).cloned().collect();
    let flags_end = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    if rest[..flags_end].iter().any(|a| a == "--help" || a == "-h") {
        return None;
    }
    let parsed = args::parse(&rest, &[GLOBAL, verb.flags]).ok()?;
    Some(Invocation {
        verb: verb.name,
        parsed,
    })
}

/// Read one flag as an author writes it in a check (`--watch`, `-l app=kubia`,
/// `--replicas=0`) against `verb`'s flags: its long name and value (`true` for a switch).
pub fn parse_flag(verb: &str, words: &[String]) -> Result<(&'static str, String), String> {
    let v = verbs::lookup(verb).ok_or_else(|| format!("kubectl has no verb {verb:?}"))?;
    let p = args::parse(words, &[GLOBAL, v.flags]).map_err(|e| e.to_string())?;
    if !p.positional.is_empty() || p.command.is_some() {
        return Err(format!("{:?} is not one flag", words.join(" ")));
    }
    let mut flags = p.flags();
    match (flags.next(), flags.next()) {
        (Some((long, values)), None) if values.len() == 1 => Ok((long, values[0].clone())),
        _ => Err(format!("{:?} is not one flag", words.join(" "))),
    }
}

/// True for the values pflag reads as a true boolean.
pub fn is_true(v: &str) -> bool {
    matches!(v, "true" | "1" | "t" | "T" | "TRUE" | "True")
}

impl Invocation {
    /// The namespace the command works in; `None` with `--all-namespaces`.
    pub fn namespace(&self) -> Option<String> {
        if self.parsed.on("all-namespaces") {
            None
        } else {
            Some(self.parsed.namespace())
        }
    }

    /// True when the flag `long` was given with `value` (for a switch: `true` matches every
    /// spelling of on, `false` every spelling of off).
    pub fn has_flag(&self, long: &str, value: &str) -> bool {
        let given = self.parsed.all(long);
        if given.is_empty() {
            return false;
        }
        let spec_is_switch = verbs::lookup(self.verb)
            .into_iter()
            .flat_map(|v| v.flags.iter())
            .chain(GLOBAL)
            .find(|f| f.long == long)
            .is_some_and(|f| !f.takes_value);
        if spec_is_switch {
            let last = given.last().map(String::as_str).unwrap_or("true");
            is_true(last) == is_true(value)
        } else {
            given.iter().any(|g| g == value)
        }
    }

    /// The `-f` arguments, in order.
    pub fn files(&self) -> Vec<String> {
        self.parsed.all("filename")
    }

    /// The objects the command names on its command line (not those in its `-f` files).
    pub fn named(&self) -> Vec<Named> {
        let pos = &self.parsed.positional;
        let targets = |args: &[String]| -> Vec<Named> {
            parse_targets(args)
                .unwrap_or_default()
                .into_iter()
                .map(|t| match t {
                    Target::All(kind) => Named { kind, name: None },
                    Target::Named(kind, name) => Named { kind, name: Some(name) },
                })
                .collect()
        };
        // `exec POD`, `logs deploy/x`, `port-forward svc/x`: one object, a pod unless typed.
        let pod_or_typed = |arg: Option<&String>| -> Vec<Named> {
            match arg {
                Some(a) => match a.split_once('/') {
                    Some((t, n)) => Kind::resolve(t).map(|k| Named::one(k, n)).into_iter().collect(),
                    None => vec![Named::one(Kind::Pod, a)],
                },
                None => Vec::new(),
            }
        };
        match self.verb {
            "get" | "describe" | "delete" | "edit" | "scale" | "patch" | "wait" | "replace" => targets(pos),
            "label" | "annotate" => {
                let args: Vec<String> = pos
                    .iter()
                    .enumerate()
                    .filter(|(i, a)| *i == 0 || !(a.contains('=') || a.ends_with('-')))
                    .map(|(_, a)| a.clone())
                    .collect();
                targets(&args)
            }
            "rollout" => targets(pos.get(1..).unwrap_or_default()),
            "set" => {
                let args: Vec<String> = pos.iter().skip(1).filter(|a| !a.contains('=')).cloned().collect();
                targets(&args)
            }
            "expose" => {
                let exposed = targets(pos);
                let service = self
                    .parsed
                    .get("name")
                    .map(str::to_string)
                    .or_else(|| exposed.first().and_then(|n| n.name.clone()));
                exposed
                    .into_iter()
                    .chain(service.map(|s| Named::one(Kind::Service, &s)))
                    .collect()
            }
            "create" => {
                let sub = pos.first().map(String::as_str);
                let (kind, name) = match sub {
                    Some("deployment" | "deploy") => (Kind::Deployment, pos.get(1)),
                    Some("service" | "svc") => (Kind::Service, pos.get(2)),
                    Some("secret") => (Kind::Secret, pos.get(2)),
                    Some("configmap" | "cm") => (Kind::ConfigMap, pos.get(1)),
                    Some("namespace" | "ns") => (Kind::Namespace, pos.get(1)),
                    _ => return Vec::new(),
                };
                name.map(|n| Named::one(kind, n)).into_iter().collect()
            }
            "run" => pos.first().map(|n| Named::one(Kind::Pod, n)).into_iter().collect(),
            "exec" | "logs" | "port-forward" => pod_or_typed(pos.first()),
            _ => Vec::new(),
        }
    }
}

/// The objects the `-f` inputs of `inv` decode to (nothing when they cannot be read), read the
/// way the command itself reads them: files and folders of the workspace, bundled URLs, stdin.
pub fn file_objects(ctx: &Ctx<'_>, inv: &Invocation) -> Vec<Object> {
    let files = inv.files();
    if files.is_empty() {
        return Vec::new();
    }
    let Ok(sources) = read_sources(ctx, &files) else {
        return Vec::new();
    };
    sources
        .iter()
        .flat_map(|s| decode_manifests(&s.text, &s.name))
        .filter_map(Result::ok)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(line: &str) -> Option<Invocation> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&words)
    }

    fn named(line: &str) -> Vec<Named> {
        inv(line).unwrap().named()
    }

    #[test]
    fn kind_and_name_in_every_form() {
        let want = vec![Named::one(Kind::Service, "backend-service")];
        for line in [
            "describe svc backend-service",
            "describe svc/backend-service",
            "describe services backend-service",
            "-n default describe Service/backend-service",
        ] {
            assert_eq!(named(line), want, "{line}");
        }
        assert_eq!(
            named("get deployments.apps,svc backend"),
            vec![
                Named::one(Kind::Deployment, "backend"),
                Named::one(Kind::Service, "backend")
            ]
        );
        assert_eq!(
            named("get svc"),
            vec![Named {
                kind: Kind::Service,
                name: None
            }]
        );
        assert_eq!(
            named("expose deployment hello --name=frontend --port 80"),
            vec![
                Named::one(Kind::Deployment, "hello"),
                Named::one(Kind::Service, "frontend")
            ]
        );
        assert_eq!(
            named("create deployment web --image=nginx"),
            vec![Named::one(Kind::Deployment, "web")]
        );
        assert_eq!(
            named("create service nodeport x --tcp=80"),
            vec![Named::one(Kind::Service, "x")]
        );
        assert_eq!(named("label pods p1 color=red"), vec![Named::one(Kind::Pod, "p1")]);
        assert_eq!(named("exec -ti p1 -- curl x"), vec![Named::one(Kind::Pod, "p1")]);
        assert_eq!(named("logs deploy/web"), vec![Named::one(Kind::Deployment, "web")]);
        assert_eq!(
            named("rollout status deployment/web"),
            vec![Named::one(Kind::Deployment, "web")]
        );
    }

    #[test]
    fn verbs_and_flags_as_kubectl_reads_them() {
        assert_eq!(inv("log p").unwrap().verb, "logs");
        assert!(inv("get svc --wat").is_none(), "an unknown flag is refused");
        assert!(inv("get svc -h").is_none(), "help only");
        assert!(inv("frobnicate").is_none());
        for line in [
            "get svc frontend -w",
            "get -w svc frontend",
            "get svc frontend --watch=true",
            "get svc frontend --watch",
        ] {
            assert!(inv(line).unwrap().has_flag("watch", "true"), "{line}");
        }
        assert!(!inv("get svc frontend --watch=false").unwrap().has_flag("watch", "true"));
        assert!(!inv("get svc frontend").unwrap().has_flag("watch", "true"));
        for line in [
            "get pods -l app=kubia",
            "get pods --selector=app=kubia",
            "get pods -lapp=kubia",
            "get pods --selector app=kubia",
        ] {
            assert!(inv(line).unwrap().has_flag("selector", "app=kubia"), "{line}");
        }
        assert_eq!(inv("get pods -A").unwrap().namespace(), None);
        assert_eq!(
            inv("get pods -n kube-system").unwrap().namespace().as_deref(),
            Some("kube-system")
        );
        let w = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(parse_flag("get", &w("-w")).unwrap(), ("watch", "true".to_string()));
        assert_eq!(
            parse_flag("get", &w("-l app=x")).unwrap(),
            ("selector", "app=x".to_string())
        );
        assert_eq!(
            parse_flag("scale", &w("--replicas=0")).unwrap(),
            ("replicas", "0".to_string())
        );
        assert!(parse_flag("get", &w("--replicas=0")).is_err());
        assert!(parse_flag("get", &w("-w svc")).is_err());
    }
}
