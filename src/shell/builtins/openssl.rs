//! `openssl req -x509 …`: the one openssl command the TLS lesson uses, making a real self-signed
//! certificate and RSA key in the workspace (`/tmp/nginx.key`, `/tmp/nginx.crt`), which
//! `kubectl create secret tls` then reads and the nginx image serves with rustls.
//!
//! The key is generated with the `rsa` crate (ring cannot generate RSA keys) and the certificate
//! signed with `rcgen`. Like openssl 3's defaults, the certificate names its host only in the CN
//! (no subjectAltName) and is marked as a CA; the lab's curl accepts it the way OpenSSL-based
//! curl does (see [`crate::runtime::net::tls`]).
//!
//! Key generation takes a moment, so it runs on tokio's blocking pool; the files are written
//! only after it finishes, inside the command's future, so Ctrl+C leaves nothing half-written.

use futures::future::BoxFuture;
use rand::Rng;

use super::Ctx;

/// What `openssl req` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Req {
    pub days: u32,
    pub bits: usize,
    pub keyout: String,
    pub out: Option<String>,
    pub subject: Vec<(String, String)>,
}

/// Parse `req` arguments; errors are openssl's message lines.
pub fn parse_req(args: &[String]) -> Result<Req, Vec<String>> {
    let mut x509 = false;
    let mut nodes = false;
    let mut req = Req {
        days: 30,
        bits: 2048,
        keyout: "privkey.pem".into(),
        out: None,
        subject: Vec::new(),
    };
    let mut subj = None;
    let mut it = args.iter();
    let need = |it: &mut std::slice::Iter<'_, String>, opt: &str| -> Result<String, Vec<String>> {
        it.next().cloned().ok_or_else(|| {
            vec![
                format!("req: Option -{opt} needs a value"),
                "req: Use -help for summary.".to_string(),
            ]
        })
    };
    while let Some(a) = it.next() {
        let opt = a.trim_start_matches('-');
        if !a.starts_with('-') {
            return Err(vec![
                format!("req: Unknown parameter {a}"),
                "req: Use -help for summary.".into(),
            ]);
        }
        match opt {
            "x509" => x509 = true,
            "nodes" | "noenc" => nodes = true,
            "sha256" | "sha384" | "sha512" | "batch" | "verbose" | "quiet" => {}
            "days" => {
                let v = need(&mut it, opt)?;
                req.days = v
                    .parse()
                    .ok()
                    .filter(|d| *d > 0)
                    .ok_or_else(|| vec![format!("req: Invalid number \"{v}\" for option -days")])?;
            }
            "newkey" => {
                let v = need(&mut it, opt)?;
                let bits = v.strip_prefix("rsa:").or(if v == "rsa" { Some("2048") } else { None });
                req.bits = match bits.and_then(|b| b.parse::<usize>().ok()) {
                    Some(b) if (2048..=4096).contains(&b) => b,
                    Some(_) => return Err(vec!["req: the lab makes RSA keys of 2048 to 4096 bits".into()]),
                    None => {
                        return Err(vec![format!(
                            "req: the lab only makes RSA keys (-newkey rsa:2048), not '{v}'"
                        )])
                    }
                };
            }
            "keyout" => req.keyout = need(&mut it, opt)?,
            "out" => req.out = Some(need(&mut it, opt)?),
            "subj" => subj = Some(need(&mut it, opt)?),
            "addext" => {
                need(&mut it, opt)?;
            }
            _ => {
                return Err(vec![
                    format!("req: Unknown option or message digest: {a}"),
                    "req: Use -help for summary.".into(),
                ])
            }
        }
    }
    if !x509 {
        return Err(vec![
            "req: the lab only makes self-signed certificates: add -x509".into()
        ]);
    }
    if !nodes {
        return Err(vec![
            "req: the lab cannot ask for a pass phrase: add -nodes to leave the key unencrypted".into(),
        ]);
    }
    let Some(subj) = subj else {
        return Err(vec![
            "req: the lab cannot ask for the subject: add -subj \"/CN=name\"".into()
        ]);
    };
    req.subject = parse_subject(&subj).ok_or_else(|| vec![format!("req: Can't parse \"{subj}\" as -subj argument")])?;
    Ok(req)
}

/// `/CN=my-nginx/O=my-nginx` → `[(CN, my-nginx), (O, my-nginx)]`.
pub fn parse_subject(s: &str) -> Option<Vec<(String, String)>> {
    let body = s.strip_prefix('/')?;
    let mut out = Vec::new();
    for part in body.split('/').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=')?;
        if k.is_empty() {
            return None;
        }
        out.push((k.to_string(), v.to_string()));
    }
    Some(out)
}

/// Make the key (PKCS#8 PEM, as openssl 3 writes it) and the certificate (PEM).
pub fn make_certificate(req: &Req) -> Result<(String, String), String> {
    use rcgen::{CertificateParams, DnType, DnValue, IsCa, KeyPair, PKCS_RSA_SHA256};
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};

    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, req.bits).map_err(|e| e.to_string())?;
    let key_pem = key.to_pkcs8_pem(LineEnding::LF).map_err(|e| e.to_string())?.to_string();
    let pair = KeyPair::from_pkcs8_pem_and_sign_algo(&key_pem, &PKCS_RSA_SHA256).map_err(|e| e.to_string())?;
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
    params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name = rcgen::DistinguishedName::new();
    for (k, v) in &req.subject {
        let t = match k.as_str() {
            "CN" => DnType::CommonName,
            "O" => DnType::OrganizationName,
            "OU" => DnType::OrganizationalUnitName,
            "C" => DnType::CountryName,
            "ST" => DnType::StateOrProvinceName,
            "L" => DnType::LocalityName,
            _ => return Err(format!("req: Subject Attribute {k} has no known NID, skipped")),
        };
        params.distinguished_name.push(t, DnValue::Utf8String(v.clone()));
    }
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::days(i64::from(req.days));
    use chrono::Datelike;
    params.not_before = rcgen::date_time_ymd(now.year(), now.month() as u8, now.day() as u8);
    params.not_after = rcgen::date_time_ymd(until.year(), until.month() as u8, until.day() as u8);
    let mut serial = [0u8; 16];
    rand::rng().fill(&mut serial);
    serial[0] &= 0x7f;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&pair).map_err(|e| e.to_string())?;
    Ok((key_pem, cert.pem()))
}

/// openssl 3 prints a line of dots and pluses while it searches for each prime, then `-----`.
fn progress() -> String {
    let mut rng = rand::rng();
    let mut s = String::new();
    for _ in 0..2 {
        for _ in 0..2 {
            for _ in 0..rng.random_range(10..40) {
                s.push_str(&".".repeat(rng.random_range(1..6)));
                s.push('+');
            }
            s.push_str(&"+".repeat(64));
            s.push('*');
        }
        s.push('\n');
    }
    s.push_str("-----\n");
    s
}

pub fn openssl(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        match ctx.args.first().map(String::as_str) {
            Some("req") => {}
            Some(other) => {
                ctx.out.err_line(&format!(
                    "Invalid command '{other}'; the lab's openssl only knows 'req -x509'."
                ));
                return 1;
            }
            None => {
                ctx.out
                    .err_line("openssl: the lab's openssl only knows 'openssl req -x509 …'");
                return 1;
            }
        }
        let req = match parse_req(&ctx.args[1..]) {
            Ok(r) => r,
            Err(lines) => {
                for l in lines {
                    ctx.out.err_line(&l);
                }
                return 1;
            }
        };
        let r = req.clone();
        let made = match tokio::task::spawn_blocking(move || make_certificate(&r)).await {
            Ok(m) => m,
            Err(e) => Err(e.to_string()),
        };
        let (key, cert) = match made {
            Ok(k) => k,
            Err(e) => {
                ctx.out.err_line(&e);
                return 1;
            }
        };
        ctx.out.err(&progress());
        if let Err(e) = ctx.session.write_file(&req.keyout, key.as_bytes()) {
            ctx.out
                .err_line(&format!("req: Can't open \"{}\" for writing, {e}", req.keyout));
            return 1;
        }
        match &req.out {
            Some(path) => {
                if let Err(e) = ctx.session.write_file(path, cert.as_bytes()) {
                    ctx.out
                        .err_line(&format!("req: Can't open \"{path}\" for writing, {e}"));
                    return 1;
                }
            }
            None => ctx.out.out(&cert),
        }
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn parses_the_lesson_command() {
        let r = parse_req(&v("-x509 -nodes -days 365 -newkey rsa:2048 -keyout /tmp/nginx.key -out /tmp/nginx.crt -subj /CN=my-nginx/O=my-nginx")).unwrap();
        assert_eq!(r.days, 365);
        assert_eq!(r.bits, 2048);
        assert_eq!(r.keyout, "/tmp/nginx.key");
        assert_eq!(r.out.as_deref(), Some("/tmp/nginx.crt"));
        assert_eq!(
            r.subject,
            vec![("CN".into(), "my-nginx".into()), ("O".into(), "my-nginx".into())]
        );
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        assert!(parse_req(&v("-nodes -subj /CN=x")).is_err());
        assert!(parse_req(&v("-x509 -subj /CN=x")).is_err());
        assert!(parse_req(&v("-x509 -nodes")).is_err());
        assert!(parse_req(&v("-x509 -nodes -subj CN=x")).is_err());
        assert!(parse_req(&v("-x509 -nodes -subj /CN=x -newkey ec:prime256v1")).is_err());
        assert!(parse_req(&v("-x509 -nodes -subj /CN=x -days")).is_err());
        assert!(parse_req(&v("-x509 -nodes -subj /CN=x -bogus")).is_err());
    }

    #[test]
    fn makes_a_parseable_certificate() {
        let req = Req {
            days: 365,
            bits: 2048,
            keyout: "k".into(),
            out: None,
            subject: vec![("CN".into(), "my-nginx".into()), ("O".into(), "my-nginx".into())],
        };
        let (key, cert) = make_certificate(&req).unwrap();
        let key_pem = key.clone();
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"));
        // The certificate carries the subject and the public half of the key.
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(&key).unwrap();
        let der = base64_decode(&cert.lines().filter(|l| !l.starts_with("-----")).collect::<String>());
        let modulus = key.n().to_bytes_be();
        assert!(der.windows(modulus.len()).any(|w| w == modulus.as_slice()));
        // Issuer and subject (the same, self-signed), each with CN and O; no subjectAltName.
        assert_eq!(der.windows(8).filter(|w| w == b"my-nginx").count(), 4);
        assert_eq!(crate::runtime::net::tls::common_name(&der).as_deref(), Some("my-nginx"));
        // rustls (the nginx image) can serve with this certificate and key.
        crate::runtime::net::tls::server_config(cert.as_bytes(), key_pem.as_bytes()).unwrap();
    }

    fn base64_decode(s: &str) -> Vec<u8> {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bits = 0u32;
        let mut n = 0;
        let mut out = Vec::new();
        for c in s.bytes().filter(|c| *c != b'=') {
            let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
            bits = (bits << 6) | v;
            n += 6;
            if n >= 8 {
                n -= 8;
                out.push((bits >> n) as u8);
                bits &= (1 << n) - 1;
            }
        }
        out
    }
}
