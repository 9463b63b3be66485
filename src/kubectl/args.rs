//! Command-line parsing the way kubectl's cobra/pflag does it: flags anywhere among the
//! arguments, `--flag=value`, `--flag value`, `-ovalue`, `-o=value`, combined boolean shorthands
//! (`-it`), `--bool=false`, and `--` ending flag parsing (everything after it is the command for
//! `kubectl exec`). Each verb declares its flags as data ([`FlagSpec`]); anything else is an
//! `unknown flag` error in pflag's words.

use std::collections::BTreeMap;

/// One flag a verb accepts.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    /// False for boolean flags.
    pub takes_value: bool,
}

/// A flag that takes a value.
pub const fn val(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
    }
}

/// A boolean flag.
pub const fn switch(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: false,
    }
}

/// Flags every kubectl command accepts (kubectl's global flags the lab understands).
pub const GLOBAL: &[FlagSpec] = &[
    val("namespace", Some('n')),
    val("context", None),
    val("cluster", None),
    val("kubeconfig", None),
    val("request-timeout", None),
    val("v", Some('v')),
];

/// The result of parsing: positional arguments, flag values, and what came after `--`.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// Arguments after `--`, if `--` was given.
    pub command: Option<Vec<String>>,
    /// The arguments as given, so a verb with subcommands can parse them again against the one
    /// subcommand's flags (kubectl's cobra knows each subcommand's flags separately).
    pub raw: Vec<String>,
    values: BTreeMap<&'static str, Vec<String>>,
}

impl Parsed {
    /// The last value given for a flag.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    /// Every value given for a repeatable flag (`-f a -f b`, `--from-literal`).
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    /// Every flag given, by its long name, with its values in order.
    pub fn flags(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        self.values.iter().map(|(k, v)| (*k, v.as_slice()))
    }

    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A boolean flag: present and not `=false`.
    pub fn on(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v != "false")
    }

    /// The namespace to work in (`-n`, default `default`).
    pub fn namespace(&self) -> String {
        self.get("namespace")
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
            .to_string()
    }
}

/// A parse error, worded like pflag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    #[error("unknown flag: --{0}")]
    UnknownFlag(String),
    #[error("unknown shorthand flag: '{0}' in -{1}")]
    UnknownShorthand(char, String),
    #[error("flag needs an argument: --{0}")]
    MissingValue(String),
    #[error("flag needs an argument: '{0}' in -{1}")]
    MissingShortValue(char, String),
    #[error(
        "invalid argument \"{value}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
    )]
    BadBool { flag: String, value: String },
}

fn find<'a>(specs: &[&'a [FlagSpec]], pred: impl Fn(&FlagSpec) -> bool) -> Option<&'a FlagSpec> {
    specs.iter().flat_map(|s| s.iter()).find(|f| pred(f))
}

/// Parse `args` against the given flag sets.
pub fn parse(args: &[String], specs: &[&[FlagSpec]]) -> Result<Parsed, ArgError> {
    let mut p = Parsed {
        raw: args.to_vec(),
        ..Parsed::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.command = Some(args[i..].to_vec());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let spec = find(specs, |f| f.long == name).ok_or_else(|| ArgError::UnknownFlag(name.to_string()))?;
            let value = if spec.takes_value {
                match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(ArgError::MissingValue(name.to_string())),
                }
            } else {
                let v = inline.unwrap_or_else(|| "true".into());
                check_bool(spec.long, &v)?;
                v
            };
            p.values.entry(spec.long).or_default().push(value);
        } else if a.len() > 1 && a.starts_with('-') {
            let body = &a[1..];
            let chars: Vec<char> = body.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let spec = find(specs, |f| f.short == Some(c))
                    .ok_or_else(|| ArgError::UnknownShorthand(c, body.to_string()))?;
                let rest: String = chars[j + 1..].iter().collect();
                if spec.takes_value {
                    let value = if !rest.is_empty() {
                        rest.strip_prefix('=').unwrap_or(&rest).to_string()
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(ArgError::MissingShortValue(c, body.to_string()));
                    };
                    p.values.entry(spec.long).or_default().push(value);
                    break;
                }
                if let Some(v) = rest.strip_prefix('=') {
                    check_bool(spec.long, v)?;
                    p.values.entry(spec.long).or_default().push(v.to_string());
                    break;
                }
                p.values.entry(spec.long).or_default().push("true".into());
                j += 1;
            }
        } else {
            p.positional.push(a.clone());
        }
    }
    Ok(p)
}

fn check_bool(flag: &str, v: &str) -> Result<(), ArgError> {
    match v {
        "true" | "false" | "1" | "0" | "t" | "f" | "T" | "F" | "TRUE" | "FALSE" | "True" | "False" => Ok(()),
        _ => Err(ArgError::BadBool {
            flag: flag.to_string(),
            value: v.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[FlagSpec] = &[
        val("output", Some('o')),
        switch("watch", Some('w')),
        val("selector", Some('l')),
        switch("all-namespaces", Some('A')),
    ];
    const EXEC: &[FlagSpec] = &[
        switch("stdin", Some('i')),
        switch("tty", Some('t')),
        val("container", Some('c')),
    ];

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn flags_anywhere_in_every_form() {
        let p = parse(
            &s(&[
                "pods",
                "-l",
                "app=x",
                "-ojsonpath={.a}",
                "--namespace=kube-system",
                "name",
                "-w",
            ]),
            &[GLOBAL, GET],
        )
        .unwrap();
        assert_eq!(p.positional, s(&["pods", "name"]));
        assert_eq!(p.get("selector"), Some("app=x"));
        assert_eq!(p.get("output"), Some("jsonpath={.a}"));
        assert_eq!(p.namespace(), "kube-system");
        assert!(p.on("watch"));
        let p = parse(&s(&["svc", "-o=yaml", "--watch=false", "-n", "x"]), &[GLOBAL, GET]).unwrap();
        assert_eq!(p.get("output"), Some("yaml"));
        assert!(!p.on("watch"));
        assert_eq!(p.namespace(), "x");
    }

    #[test]
    fn double_dash_ends_flags_and_shorthands_combine() {
        let p = parse(
            &s(&["-ti", "pod", "-c", "web", "--", "curl", "-s", "http://x"]),
            &[GLOBAL, EXEC],
        )
        .unwrap();
        assert!(p.on("stdin") && p.on("tty"));
        assert_eq!(p.get("container"), Some("web"));
        assert_eq!(p.positional, s(&["pod"]));
        assert_eq!(p.command, Some(s(&["curl", "-s", "http://x"])));
    }

    #[test]
    fn errors_are_worded_like_pflag() {
        let e = parse(&s(&["--foo"]), &[GLOBAL, GET]).unwrap_err();
        assert_eq!(e.to_string(), "unknown flag: --foo");
        let e = parse(&s(&["-x"]), &[GLOBAL, GET]).unwrap_err();
        assert_eq!(e.to_string(), "unknown shorthand flag: 'x' in -x");
        let e = parse(&s(&["-n"]), &[GLOBAL, GET]).unwrap_err();
        assert_eq!(e.to_string(), "flag needs an argument: 'n' in -n");
        let e = parse(&s(&["--output"]), &[GLOBAL, GET]).unwrap_err();
        assert_eq!(e.to_string(), "flag needs an argument: --output");
        let e = parse(&s(&["--watch=maybe"]), &[GLOBAL, GET]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument \"maybe\" for \"watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }
}
