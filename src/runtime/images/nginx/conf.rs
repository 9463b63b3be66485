//! A small reader for nginx configuration: enough of `conf.d/*.conf` for the tutorials —
//! `server` blocks with `listen` (`ssl`, `default_server`), `server_name`, `root`, `index`,
//! `ssl_certificate(_key)`, `location` (prefix and `=`) with `root`, `index`, `try_files`,
//! `return` and `proxy_pass`, and `upstream` blocks with `server`. Other directives are kept as
//! warnings for the pod log instead of failing the container.

/// One directive: `name args…;` or `name args… { children }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub args: Vec<String>,
    pub children: Option<Vec<Directive>>,
    pub line: usize,
}

/// Parse nginx syntax. Errors are nginx's `[emerg]` messages.
pub fn parse(text: &str, file: &str) -> Result<Vec<Directive>, String> {
    let tokens = tokenize(text);
    let mut pos = 0;
    let out = parse_block(&tokens, &mut pos, file, false)?;
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String, usize),
    Semi(usize),
    Open(usize),
    Close(usize),
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut word = String::new();
    let mut word_line = 1;
    let flush = |word: &mut String, out: &mut Vec<Tok>, l: usize| {
        if !word.is_empty() {
            out.push(Tok::Word(std::mem::take(word), l));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                flush(&mut word, &mut out, word_line);
                line += 1;
            }
            c if c.is_whitespace() => flush(&mut word, &mut out, word_line),
            '#' => {
                flush(&mut word, &mut out, word_line);
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            ';' => {
                flush(&mut word, &mut out, word_line);
                out.push(Tok::Semi(line));
            }
            '{' => {
                flush(&mut word, &mut out, word_line);
                out.push(Tok::Open(line));
            }
            '}' => {
                flush(&mut word, &mut out, word_line);
                out.push(Tok::Close(line));
            }
            '"' | '\'' => {
                word_line = line;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    if q == '\n' {
                        line += 1;
                    }
                    word.push(q);
                }
            }
            c => {
                if word.is_empty() {
                    word_line = line;
                }
                word.push(c)
            }
        }
    }
    flush(&mut word, &mut out, word_line);
    out
}

fn parse_block(tokens: &[Tok], pos: &mut usize, file: &str, nested: bool) -> Result<Vec<Directive>, String> {
    let mut out = Vec::new();
    let mut current: Vec<(String, usize)> = Vec::new();
    while *pos < tokens.len() {
        let t = tokens[*pos].clone();
        *pos += 1;
        match t {
            Tok::Word(w, l) => current.push((w, l)),
            Tok::Semi(l) => {
                let Some(((name, line), args)) = current.split_first().map(|(a, b)| (a.clone(), b.to_vec())) else {
                    return Err(format!("nginx: [emerg] unexpected \";\" in {file}:{l}"));
                };
                out.push(Directive {
                    name,
                    args: args.into_iter().map(|a| a.0).collect(),
                    children: None,
                    line,
                });
                current.clear();
            }
            Tok::Open(l) => {
                let Some(((name, line), args)) = current.split_first().map(|(a, b)| (a.clone(), b.to_vec())) else {
                    return Err(format!("nginx: [emerg] unexpected \"{{\" in {file}:{l}"));
                };
                let children = parse_block(tokens, pos, file, true)?;
                out.push(Directive {
                    name,
                    args: args.into_iter().map(|a| a.0).collect(),
                    children: Some(children),
                    line,
                });
                current.clear();
            }
            Tok::Close(l) => {
                if !nested {
                    return Err(format!("nginx: [emerg] unexpected \"}}\" in {file}:{l}"));
                }
                if let Some((w, l)) = current.first() {
                    return Err(format!("nginx: [emerg] unexpected \"}}\" in {file}:{l} after \"{w}\""));
                }
                return Ok(out);
            }
        }
    }
    if nested {
        return Err(format!(
            "nginx: [emerg] unexpected end of file, expecting \"}}\" in {file}"
        ));
    }
    if let Some((w, l)) = current.first() {
        return Err(format!(
            "nginx: [emerg] unexpected end of file, expecting \";\" or \"}}\" in {file}:{l} after \"{w}\""
        ));
    }
    Ok(out)
}

/// What a `location` does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub exact: bool,
    pub prefix: String,
    pub root: Option<String>,
    pub index: Option<Vec<String>>,
    pub ret: Option<(u16, Option<String>)>,
    pub proxy_pass: Option<String>,
    pub try_files: Option<Vec<String>>,
}

/// A `listen` directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listen {
    pub port: u16,
    pub ssl: bool,
    pub default: bool,
}

/// A `server` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Server {
    pub listens: Vec<Listen>,
    pub server_names: Vec<String>,
    pub root: String,
    pub index: Vec<String>,
    pub ssl_certificate: Option<String>,
    pub ssl_certificate_key: Option<String>,
    pub locations: Vec<Location>,
}

/// The `http`-level configuration from all files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub servers: Vec<Server>,
    /// upstream name → `host[:port]` of its servers.
    pub upstreams: Vec<(String, Vec<String>)>,
    /// `nginx: [warn] …` lines for the pod log.
    pub warnings: Vec<String>,
}

const IGNORED: &[&str] = &[
    "access_log",
    "error_log",
    "error_page",
    "keepalive_timeout",
    "sendfile",
    "gzip",
    "add_header",
    "proxy_set_header",
    "proxy_http_version",
    "ssl_protocols",
    "ssl_ciphers",
    "ssl_session_cache",
    "ssl_session_timeout",
    "charset",
    "client_max_body_size",
    "default_type",
    "include",
    "autoindex",
    "expires",
    "resolver",
    "tcp_nopush",
    "ssl_prefer_server_ciphers",
];

/// Interpret parsed files (`(path, directives)`) as nginx's http block.
pub fn interpret(files: &[(String, Vec<Directive>)]) -> Config {
    let mut cfg = Config::default();
    for (file, dirs) in files {
        for d in dirs {
            match (d.name.as_str(), &d.children) {
                ("server", Some(children)) => cfg.servers.push(server(children, file, &mut cfg.warnings)),
                ("upstream", Some(children)) => {
                    let name = d.args.first().cloned().unwrap_or_default();
                    let servers = children
                        .iter()
                        .filter(|c| c.name == "server")
                        .filter_map(|c| c.args.first().cloned())
                        .collect();
                    cfg.upstreams.push((name, servers));
                }
                (name, _) if IGNORED.contains(&name) => {}
                (name, _) => cfg.warnings.push(format!(
                    "nginx: [warn] unknown directive \"{name}\" in {file}:{} (ignored by the lab)",
                    d.line
                )),
            }
        }
    }
    cfg
}

fn server(children: &[Directive], file: &str, warnings: &mut Vec<String>) -> Server {
    let mut s = Server {
        root: "/usr/share/nginx/html".into(),
        index: vec!["index.html".into()],
        ..Default::default()
    };
    for d in children {
        match d.name.as_str() {
            "listen" => {
                let Some(addr) = d.args.first() else { continue };
                if addr.starts_with('[') {
                    continue; // IPv6 twin of an IPv4 listen: the lab serves IPv4.
                }
                let port = addr.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(80);
                s.listens.push(Listen {
                    port,
                    ssl: d.args.iter().any(|a| a == "ssl"),
                    default: d.args.iter().any(|a| a == "default_server" || a == "default"),
                });
            }
            "server_name" => s.server_names = d.args.clone(),
            "root" => s.root = d.args.first().cloned().unwrap_or_default(),
            "index" => s.index = d.args.clone(),
            "ssl_certificate" => s.ssl_certificate = d.args.first().cloned(),
            "ssl_certificate_key" => s.ssl_certificate_key = d.args.first().cloned(),
            "location" => {
                let (exact, prefix) = match d.args.as_slice() {
                    [op, p] if op == "=" => (true, p.clone()),
                    [op, p] if op == "^~" => (false, p.clone()),
                    [p] => (false, p.clone()),
                    _ => {
                        warnings.push(format!(
                            "nginx: [warn] regex locations are not supported by the lab in {file}:{}",
                            d.line
                        ));
                        continue;
                    }
                };
                let mut loc = Location {
                    exact,
                    prefix,
                    ..Default::default()
                };
                for c in d.children.iter().flatten() {
                    match c.name.as_str() {
                        "root" => loc.root = c.args.first().cloned(),
                        "index" => loc.index = Some(c.args.clone()),
                        "proxy_pass" => loc.proxy_pass = c.args.first().cloned(),
                        "try_files" => loc.try_files = Some(c.args.clone()),
                        "return" => {
                            let code = c.args.first().and_then(|a| a.parse().ok()).unwrap_or(302);
                            loc.ret = Some((code, c.args.get(1).cloned()));
                        }
                        n if IGNORED.contains(&n) => {}
                        n => warnings.push(format!(
                            "nginx: [warn] unknown directive \"{n}\" in {file}:{} (ignored by the lab)",
                            c.line
                        )),
                    }
                }
                s.locations.push(loc);
            }
            n if IGNORED.contains(&n) => {}
            n => warnings.push(format!(
                "nginx: [warn] unknown directive \"{n}\" in {file}:{} (ignored by the lab)",
                d.line
            )),
        }
    }
    if s.listens.is_empty() {
        s.listens.push(Listen {
            port: 80,
            ssl: false,
            default: false,
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTTPS_CONF: &str = "server {\n        listen 80 default_server;\n        listen [::]:80 default_server ipv6only=on;\n\n        listen 443 ssl;\n\n        root /usr/share/nginx/html;\n        index index.html;\n\n        server_name localhost;\n        ssl_certificate /etc/nginx/ssl/tls.crt;\n        ssl_certificate_key /etc/nginx/ssl/tls.key;\n\n        location / {\n                try_files $uri $uri/ =404;\n        }\n}\n";

    #[test]
    fn reads_the_https_tutorial_config() {
        let d = parse(HTTPS_CONF, "/etc/nginx/conf.d/default.conf").unwrap();
        let cfg = interpret(&[("/etc/nginx/conf.d/default.conf".into(), d)]);
        assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
        let s = &cfg.servers[0];
        assert_eq!(
            s.listens,
            vec![
                Listen {
                    port: 80,
                    ssl: false,
                    default: true
                },
                Listen {
                    port: 443,
                    ssl: true,
                    default: false
                }
            ]
        );
        assert_eq!(s.ssl_certificate.as_deref(), Some("/etc/nginx/ssl/tls.crt"));
        assert_eq!(s.locations[0].try_files.as_ref().unwrap()[2], "=404");
    }

    #[test]
    fn upstreams_proxies_and_unknown_directives() {
        let text = "upstream hello {\n  server hello;\n}\nserver {\n  listen 80;\n  frobnicate on;\n  location / {\n    proxy_pass http://hello;\n  }\n}\n";
        let cfg = interpret(&[("f.conf".into(), parse(text, "f.conf").unwrap())]);
        assert_eq!(cfg.upstreams, vec![("hello".to_string(), vec!["hello".to_string()])]);
        assert_eq!(cfg.servers[0].locations[0].proxy_pass.as_deref(), Some("http://hello"));
        assert_eq!(cfg.warnings.len(), 1);
        assert!(cfg.warnings[0].contains("unknown directive \"frobnicate\" in f.conf:6"));
    }

    #[test]
    fn syntax_errors_are_nginx_emerg_messages() {
        assert!(parse("server {\n listen 80;\n", "x.conf")
            .unwrap_err()
            .contains("unexpected end of file, expecting \"}\""));
        assert!(parse("listen 80", "x.conf")
            .unwrap_err()
            .contains("expecting \";\" or \"}\""));
        assert!(parse("}", "x.conf").unwrap_err().contains("unexpected \"}\""));
    }
}
