//! Acceptance transcripts (`../shared/acceptance/*.lab`): parsing and matching, as the format
//! README there describes. Kept free of the lab itself so the matcher is tested on its own.

use regex::Regex;
use unicode_width::UnicodeWidthStr;

/// One `$ command` with its continuation lines and expected output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub line_no: usize,
    pub command: String,
    pub expected: Vec<String>,
}

/// A parsed transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transcript {
    pub settings: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

impl Transcript {
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub fn parse(text: &str) -> Transcript {
    let mut t = Transcript::default();
    for (i, line) in text.lines().enumerate() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            t.steps.push(Step {
                line_no: i + 1,
                command: cmd.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(cont) = line.strip_prefix("> ").or_else(|| (line == ">").then_some("")) {
            if let Some(s) = t.steps.last_mut() {
                if s.expected.is_empty() {
                    s.command.push('\n');
                    s.command.push_str(cont);
                    continue;
                }
            }
            if let Some(s) = t.steps.last_mut() {
                s.expected.push(line.to_string());
            }
        } else if line.starts_with('#') && !line.starts_with("#!") {
            continue;
        } else if let Some(setting) = line.strip_prefix("@ ") {
            let (k, v) = setting.split_once(' ').unwrap_or((setting, ""));
            t.settings.push((k.to_string(), v.trim().to_string()));
        } else if let Some(s) = t.steps.last_mut() {
            s.expected.push(line.to_string());
        }
    }
    t
}

/// kubectl's own angle-bracket words are output, not placeholders.
const LITERAL_TOKENS: &[&str] = &["<none>", "<pending>", "<unset>", "<unknown>", "<invalid>", "<nodes>"];

fn cell_regex(pattern: &str) -> Regex {
    let ph = Regex::new(r"<[A-Za-z][A-Za-z0-9_-]*>").unwrap();
    let mut re = String::from("^");
    let mut last = 0;
    for m in ph.find_iter(pattern) {
        re.push_str(&regex::escape(&pattern[last..m.start()]));
        if LITERAL_TOKENS.contains(&m.as_str()) {
            re.push_str(&regex::escape(m.as_str()));
        } else {
            re.push_str(r"\S+");
        }
        last = m.end();
    }
    re.push_str(&regex::escape(&pattern[last..]));
    re.push('$');
    Regex::new(&re).unwrap()
}

fn split_cells(line: &str) -> Vec<&str> {
    let sep = Regex::new(r" {2,}").unwrap();
    sep.split(line.trim_end()).collect()
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does `actual` match the expected table-style line?
pub fn line_matches(expected: &str, actual: &str) -> bool {
    let e = split_cells(expected);
    let a = split_cells(actual);
    e.len() == a.len() && e.iter().zip(&a).all(|(e, a)| cell_regex(e).is_match(a))
}

/// Does `actual` contain the `~` text (spaces folded, placeholders allowed)?
pub fn contains_matches(text: &str, actual: &str) -> bool {
    let folded = fold(text);
    let re = cell_regex(&folded);
    let src = re.as_str().trim_start_matches('^').trim_end_matches('$').to_string();
    Regex::new(&src).unwrap().is_match(&fold(actual))
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Line(String),
    Contains(String),
    Any,
}

/// Match output against expected lines. `Err` explains the first mismatch.
pub fn check(expected: &[String], output: &str) -> Result<(), String> {
    let exp: Vec<&String> = expected.iter().filter(|l| !l.trim().is_empty()).collect();
    let actual: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    if exp.len() == 1 && exp[0].trim() == "(empty)" {
        return if output.is_empty() {
            Ok(())
        } else {
            Err("expected no output at all".into())
        };
    }
    if exp.first().is_some_and(|l| l.trim() == "(unordered)") {
        let want: Vec<&String> = exp[1..].to_vec();
        if want.len() != actual.len() {
            return Err(format!(
                "expected {} lines in any order, got {}",
                want.len(),
                actual.len()
            ));
        }
        let mut used = vec![false; actual.len()];
        for w in want {
            let hit = actual.iter().enumerate().find(|(i, a)| !used[*i] && line_matches(w, a));
            match hit {
                Some((i, _)) => used[i] = true,
                None => return Err(format!("no line matches {w:?}")),
            }
        }
        return Ok(());
    }
    let items: Vec<Item> = exp
        .iter()
        .map(|l| {
            if l.trim() == "..." {
                Item::Any
            } else if let Some(t) = l.strip_prefix("~ ") {
                Item::Contains(t.to_string())
            } else {
                Item::Line(l.to_string())
            }
        })
        .collect();
    if !matches_from(&items, &actual) {
        return Err("output does not match".into());
    }
    check_alignment(&items, &actual)
}

fn matches_from(items: &[Item], lines: &[&str]) -> bool {
    match items.first() {
        None => lines.is_empty(),
        Some(Item::Line(e)) => !lines.is_empty() && line_matches(e, lines[0]) && matches_from(&items[1..], &lines[1..]),
        Some(Item::Any) => (0..=lines.len()).any(|k| matches_from(&items[1..], &lines[k..])),
        Some(Item::Contains(t)) => {
            let rest_free = items[1..].iter().all(|i| matches!(i, Item::Contains(_) | Item::Any));
            (0..lines.len()).any(|k| {
                contains_matches(t, lines[k])
                    && (matches_from(&items[1..], &lines[k + 1..]) || (rest_free && items.len() == 1))
            })
        }
    }
}

/// Column start positions of a table row (display columns).
fn cell_starts(line: &str) -> Vec<usize> {
    let sep = Regex::new(r" {2,}").unwrap();
    let mut starts = vec![0];
    for m in sep.find_iter(line.trim_end()) {
        starts.push(line[..m.end()].width());
    }
    starts
}

/// Rows matched by consecutive multi-cell `Line` items form a table: their columns must start
/// at the same positions.
fn check_alignment(items: &[Item], lines: &[&str]) -> Result<(), String> {
    // Only exact sequences (no `...`/`~` before them) can be located reliably.
    let mut idx = 0;
    let mut table: Vec<&str> = Vec::new();
    let flush = |table: &mut Vec<&str>| -> Result<(), String> {
        if table.len() > 1 {
            let first = cell_starts(table[0]);
            for row in table.iter().skip(1) {
                if cell_starts(row) != first {
                    return Err(format!("table columns are not aligned:\n{}\n{}", table[0], row));
                }
            }
        }
        table.clear();
        Ok(())
    };
    for item in items {
        match item {
            Item::Line(e) if idx < lines.len() && line_matches(e, lines[idx]) => {
                if split_cells(e).len() > 1 {
                    table.push(lines[idx]);
                } else {
                    flush(&mut table)?;
                }
                idx += 1;
            }
            _ => {
                flush(&mut table)?;
                // Past a wildcard the position of later rows is not known; stop checking.
                return Ok(());
            }
        }
    }
    flush(&mut table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_commands_heredocs_and_settings() {
        let t =
            parse("# c\n@ lesson lesson5\n$ kubectl apply -f - <<EOF\n> a: 1\n> EOF\nservice/x created\n$ echo hi\n");
        assert_eq!(t.setting("lesson"), Some("lesson5"));
        assert_eq!(t.steps[0].command, "kubectl apply -f - <<EOF\na: 1\nEOF");
        assert_eq!(t.steps[0].expected, v(&["service/x created"]));
        assert!(t.steps[1].expected.is_empty());
    }

    #[test]
    fn cells_placeholders_and_literals() {
        assert!(line_matches(
            "frontend   LoadBalancer   <ip>   <pending>   80:<port>/TCP  <age>",
            "frontend   LoadBalancer   10.96.1.2   <pending>     80:31234/TCP   3s"
        ));
        assert!(!line_matches(
            "frontend   LoadBalancer   <ip>   <pending>   80:<port>/TCP  <age>",
            "frontend   LoadBalancer   10.96.1.2   127.0.1.1     80:31234/TCP   3s"
        ));
        assert!(!line_matches("a   b", "a   b   c"));
    }

    #[test]
    fn wildcards_contains_unordered_and_empty() {
        assert!(check(
            &v(&["...", "deployment \"backend\" successfully rolled out"]),
            "Waiting...\nWaiting...\ndeployment \"backend\" successfully rolled out\n"
        )
        .is_ok());
        assert!(check(
            &v(&["~ Name: backend", "~ Replicas: 3 desired"]),
            "Name:      backend\nX: y\nReplicas:    3 desired | 3 updated\n"
        )
        .is_ok());
        assert!(check(
            &v(&["~ Replicas: 3 desired", "~ Name: backend"]),
            "Name:      backend\nReplicas:    3 desired\n"
        )
        .is_err());
        assert!(check(&v(&["(unordered)", "B=1", "A=2"]), "A=2\nB=1\n").is_ok());
        assert!(check(&v(&["(unordered)", "B=1"]), "A=2\nB=1\n").is_err());
        assert!(check(&v(&["(empty)"]), "").is_ok());
        assert!(check(&v(&["(empty)"]), "x\n").is_err());
        assert!(check(&v(&["service/x created"]), "service/x created\nextra\n").is_err());
    }

    #[test]
    fn misaligned_tables_fail() {
        let exp = v(&["NAME   TYPE", "a   ClusterIP"]);
        assert!(check(&exp, "NAME   TYPE\na      ClusterIP\n").is_ok());
        assert!(check(&exp, "NAME   TYPE\na  ClusterIP\n").is_err());
    }
}
