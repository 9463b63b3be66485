//! `$(( … ))`: sh's integer arithmetic (64-bit, wrapping like bash), after `$VAR` and `$(…)`
//! inside it have been expanded. Bare names are variables (unset or empty is 0).
//!
//! Operators, loosest first: `||`, `&&`, `|`, `^`, `&`, `==` `!=`, `<` `<=` `>` `>=`, `<<` `>>`,
//! `+` `-`, `*` `/` `%`, `**`, unary `-` `+` `!` `~`, parentheses. Errors read like bash's:
//! `1+: syntax error: operand expected (error token is "+")`.

use std::collections::BTreeMap;

/// Evaluate `expr`; variables come from `vars`. The error is bash's message after `sh: EXPR: `.
pub fn eval(expr: &str, vars: &BTreeMap<String, String>) -> Result<i64, String> {
    eval_depth(expr, vars, 0)
}

fn eval_depth(expr: &str, vars: &BTreeMap<String, String>, depth: usize) -> Result<i64, String> {
    if depth > 16 {
        return Err("expression recursion level exceeded".into());
    }
    let chars: Vec<char> = expr.chars().collect();
    let mut p = Ev {
        s: &chars,
        pos: 0,
        vars,
        depth,
        nesting: 0,
        op_start: 0,
    };
    p.blanks();
    if p.pos == chars.len() {
        return Ok(0);
    }
    let v = p.binary(0)?;
    p.blanks();
    if p.pos < chars.len() {
        return Err(p.error("syntax error in expression"));
    }
    Ok(v)
}

struct Ev<'a> {
    s: &'a [char],
    pos: usize,
    vars: &'a BTreeMap<String, String>,
    depth: usize,
    nesting: usize,
    /// Where the last operator started (bash names it when an operand is missing).
    op_start: usize,
}

/// Binary operators by precedence level (index 0 binds loosest).
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<=", ">=", "<", ">"],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Ev<'_> {
    fn blanks(&mut self) {
        while self.s.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn error(&self, what: &str) -> String {
        self.error_at(self.pos, what)
    }

    fn error_at(&self, at: usize, what: &str) -> String {
        let token: String = self.s[at.min(self.s.len())..].iter().collect();
        format!("{what} (error token is \"{}\")", token.trim())
    }

    fn eat(&mut self, op: &str) -> bool {
        self.blanks();
        let n = op.chars().count();
        let matches = op
            .chars()
            .enumerate()
            .all(|(i, c)| self.s.get(self.pos + i) == Some(&c));
        // `|` must not eat half of `||`, `<` not half of `<<` or `<=`, `*` not half of `**`.
        let next = self.s.get(self.pos + n).copied();
        let longer = match op {
            "|" => next == Some('|'),
            "&" => next == Some('&'),
            "<" => matches!(next, Some('<' | '=')),
            ">" => matches!(next, Some('>' | '=')),
            "*" => next == Some('*'),
            "!" => next == Some('='),
            _ => false,
        };
        if matches && !longer {
            self.op_start = self.pos;
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.power();
        }
        let mut left = self.binary(level + 1)?;
        'outer: loop {
            for op in LEVELS[level] {
                if self.eat(op) {
                    self.blanks();
                    let right_start = self.pos;
                    let right = self.binary(level + 1)?;
                    left = apply(op, left, right).map_err(|e| self.error_at(right_start, e))?;
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.eat("**") {
            let exp = self.power()?;
            if exp < 0 {
                return Err(self.error("exponent less than 0"));
            }
            return Ok(base.wrapping_pow(u32::try_from(exp).unwrap_or(u32::MAX)));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        if self.eat("-") {
            return Ok(self.unary()?.wrapping_neg());
        }
        if self.eat("+") {
            return self.unary();
        }
        if self.eat("!") {
            return Ok(i64::from(self.unary()? == 0));
        }
        if self.eat("~") {
            return Ok(!self.unary()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<i64, String> {
        self.blanks();
        let Some(&c) = self.s.get(self.pos) else {
            return Err(self.error_at(self.op_start, "syntax error: operand expected"));
        };
        if c == '(' {
            self.nesting += 1;
            if self.nesting > 200 {
                return Err(self.error("expression nested too deeply"));
            }
            self.pos += 1;
            let v = self.binary(0)?;
            if !self.eat(")") {
                return Err(self.error("missing ')'"));
            }
            self.nesting -= 1;
            return Ok(v);
        }
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.pos += 1;
        }
        let word: String = self.s[start..self.pos].iter().collect();
        if word.is_empty() {
            return Err(self.error("syntax error: operand expected"));
        }
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            return number(&word).ok_or_else(|| {
                self.pos = start;
                self.error("value too great for base")
            });
        }
        let value = self.vars.get(&word).cloned().unwrap_or_default();
        if value.trim().is_empty() {
            return Ok(0);
        }
        eval_depth(&value, self.vars, self.depth + 1)
    }
}

/// `10`, `0x1f`, `017` (octal), as bash reads them.
fn number(w: &str) -> Option<i64> {
    if let Some(hex) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    if w.len() > 1 && w.starts_with('0') {
        return i64::from_str_radix(&w[1..], 8).ok();
    }
    w.parse().ok()
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, &'static str> {
    Ok(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by 0"),
        "/" => a.wrapping_div(b),
        _ => a.wrapping_rem(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Result<i64, String> {
        let vars: BTreeMap<String, String> = [
            ("x".to_string(), "5".to_string()),
            ("e".to_string(), "x*2".to_string()),
            ("loop".to_string(), "loop".to_string()),
        ]
        .into();
        eval(s, &vars)
    }

    #[test]
    fn arithmetic_like_bash() {
        assert_eq!(ev("1+2*3"), Ok(7));
        assert_eq!(ev("(1+2)*3"), Ok(9));
        assert_eq!(ev("2**10"), Ok(1024));
        assert_eq!(ev("2**3**2"), Ok(512));
        assert_eq!(ev("7%3"), Ok(1));
        assert_eq!(ev("-3/2"), Ok(-1));
        assert_eq!(ev("1<2 && 2<=2 || 0"), Ok(1));
        assert_eq!(ev("x*2"), Ok(10));
        assert_eq!(ev("e+1"), Ok(11));
        assert_eq!(ev("unset+1"), Ok(1));
        assert_eq!(ev("0x10 + 010"), Ok(24));
        assert_eq!(ev("!0 + ~0"), Ok(0));
        assert_eq!(ev("1 << 4 | 1"), Ok(17));
        assert_eq!(ev(" "), Ok(0));
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
    }

    #[test]
    fn errors_like_bash() {
        assert_eq!(
            ev("1+"),
            Err("syntax error: operand expected (error token is \"+\")".into())
        );
        assert_eq!(ev("1/0"), Err("division by 0 (error token is \"0\")".into()));
        assert_eq!(
            ev("1 2"),
            Err("syntax error in expression (error token is \"2\")".into())
        );
        assert_eq!(ev("(1"), Err("missing ')' (error token is \"\")".into()));
        assert_eq!(ev("09"), Err("value too great for base (error token is \"09\")".into()));
        assert!(ev("loop").is_err());
        assert!(ev(&"(".repeat(10_000)).is_err());
        assert!(ev("2**-1").is_err());
    }
}
