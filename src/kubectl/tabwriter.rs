//! The tab writer kubectl prints tables with: Go's `text/tabwriter` with kubectl's fork flag
//! `RememberWidths` (minwidth 6, padding 3). Column widths only grow across flushes, which is
//! why `kubectl get -w` rows stay aligned with the header printed before them. kubectl forgets
//! the widths when a new resource group starts (`SetRememberedWidths(nil)` in get.go), so each
//! table of `kubectl get svc,pods` is aligned on its own: a new group takes a new writer.

use unicode_width::UnicodeWidthStr;

const MIN_WIDTH: usize = 6;
const PADDING: usize = 3;

/// A tab writer that remembers column widths between [`TabWriter::render`] calls.
#[derive(Debug, Default, Clone)]
pub struct TabWriter {
    widths: Vec<usize>,
}

impl TabWriter {
    pub fn new() -> TabWriter {
        TabWriter::default()
    }

    /// Lay out a block of rows (one flush). The last cell of a row is never padded.
    pub fn render(&mut self, rows: &[Vec<String>]) -> String {
        for row in rows {
            for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
                let w = (cell.width() + PADDING).max(MIN_WIDTH);
                if self.widths.len() <= i {
                    self.widths.resize(i + 1, 0);
                }
                self.widths[i] = self.widths[i].max(w);
            }
        }
        let mut out = String::new();
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                out.push_str(cell);
                if i + 1 < row.len() {
                    out.push_str(&" ".repeat(self.widths[i].saturating_sub(cell.width())));
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn later_blocks_keep_earlier_widths() {
        let mut w = TabWriter::new();
        let first = w.render(&[row(&["NAME", "STATUS", "AGE"]), row(&["default", "Active", "9h"])]);
        assert_eq!(first, "NAME      STATUS   AGE\ndefault   Active   9h\n");
        assert_eq!(w.render(&[row(&["ns1", "Active", "0s"])]), "ns1       Active   0s\n");
        assert_eq!(
            w.render(&[row(&["ns-with-a-long-name", "Terminating", "5s"])]),
            "ns-with-a-long-name   Terminating   5s\n",
            "wider cells widen the column"
        );
        assert_eq!(
            w.render(&[row(&["ns1", "Active", "1s"])]),
            "ns1                   Active        1s\n"
        );
    }
}
