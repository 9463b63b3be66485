//! kubectl's table layout, as Go's tabwriter configured by kubectl makes it
//! (`tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)`): a column is as wide as its widest cell plus
//! three spaces, at least six; the last cell of a row is not padded.

use unicode_width::UnicodeWidthStr;

/// A table as `kubectl get` prints it: a header row and data rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Column widths over headers and rows (display width, so Korean text lines up).
    pub fn widths(&self, with_headers: bool) -> Vec<usize> {
        let n = self
            .headers
            .len()
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        let mut w = vec![0; n];
        let head = with_headers.then_some(&self.headers);
        for row in head.into_iter().chain(self.rows.iter()) {
            for (i, c) in row.iter().enumerate() {
                w[i] = w[i].max(c.width());
            }
        }
        w
    }

    /// Render with the header line unless `no_headers`.
    pub fn render(&self, no_headers: bool) -> String {
        let widths = self.widths(!no_headers);
        let mut out = String::new();
        if !no_headers {
            out.push_str(&render_row(&self.headers, &widths));
        }
        for r in &self.rows {
            out.push_str(&render_row(r, &widths));
        }
        out
    }
}

/// One row padded to `widths`, three spaces between columns, newline-terminated.
pub fn render_row(row: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        line.push_str(cell);
        if i + 1 < row.len() {
            let col = (widths.get(i).copied().unwrap_or(0) + 3).max(6);
            let pad = col.saturating_sub(cell.width());
            line.push_str(&" ".repeat(pad));
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_three_spaces_apart() {
        let mut t = Table::new(&["NAME", "TYPE"]);
        t.push(vec!["kubernetes".into(), "ClusterIP".into()]);
        t.push(vec!["a".into(), "NodePort".into()]);
        assert_eq!(
            t.render(false),
            "NAME         TYPE\nkubernetes   ClusterIP\na            NodePort\n"
        );
        let mut t = Table::new(&["A", "B"]);
        t.push(vec!["x".into(), "y".into()]);
        assert_eq!(t.render(false), "A     B\nx     y\n", "minimum column width is six");
    }
}
