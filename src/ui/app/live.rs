//! The resources pane's live data: the `kubectl get` tables, each new snapshot diffed against
//! the last so changed cells light up for [`HIGHLIGHT`], and the traffic view's events. Both
//! fade on the clock the event loop passes in (`now`), so this is where the one-shot timer's
//! deadline comes from.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::kubectl::table::Table;
use crate::runtime::Kind;

use super::App;

/// How long a changed table cell stays highlighted.
pub const HIGHLIGHT: Duration = Duration::from_secs(2);

/// The live tables of the resources pane, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceTab {
    Services,
    Pods,
    Deployments,
    Endpoints,
}

impl ResourceTab {
    pub const ALL: [ResourceTab; 4] = [
        ResourceTab::Services,
        ResourceTab::Pods,
        ResourceTab::Deployments,
        ResourceTab::Endpoints,
    ];

    pub fn kind(self) -> Kind {
        match self {
            ResourceTab::Services => Kind::Service,
            ResourceTab::Pods => Kind::Pod,
            ResourceTab::Deployments => Kind::Deployment,
            ResourceTab::Endpoints => Kind::Endpoints,
        }
    }

    /// The short label, for narrow panes: kubectl's short name.
    pub fn short(self) -> &'static str {
        match self {
            ResourceTab::Services => "svc",
            ResourceTab::Pods => "pods",
            ResourceTab::Deployments => "deploy",
            ResourceTab::Endpoints => "ep",
        }
    }

    /// The command whose output the tab shows; also its label.
    pub fn command(self) -> &'static str {
        match self {
            ResourceTab::Services => "get svc",
            ResourceTab::Pods => "get pods",
            ResourceTab::Deployments => "get deploy",
            ResourceTab::Endpoints => "get ep",
        }
    }
}

/// The tab index of the traffic view: after the tables.
pub const TRAFFIC_TAB: usize = ResourceTab::ALL.len();
/// Tabs of the resources pane: the tables and the traffic view.
pub const TAB_COUNT: usize = ResourceTab::ALL.len() + 1;

/// One `kubectl get` table and the cells that changed recently.
#[derive(Debug, Clone, Default)]
pub struct LiveTable {
    pub table: Table,
    /// (row key, column header) → when the highlight ends.
    pub highlights: HashMap<(String, String), Instant>,
    loaded: bool,
}

/// Columns that change on their own and are not worth a highlight (and, without a clock tick,
/// would be stale: the live view hides them).
pub const VOLATILE_COLUMNS: &[&str] = &["AGE"];

fn same_ignoring_volatile(a: &Table, b: &Table) -> bool {
    let keep = |t: &Table| -> Vec<Vec<String>> {
        let cols: Vec<usize> = (0..t.headers.len())
            .filter(|&i| !VOLATILE_COLUMNS.contains(&t.headers[i].as_str()))
            .collect();
        std::iter::once(&t.headers)
            .chain(t.rows.iter())
            .map(|r| cols.iter().map(|&i| r.get(i).cloned().unwrap_or_default()).collect())
            .collect()
    };
    keep(a) == keep(b)
}

/// A row's identity: NAME, or NAMESPACE/NAME.
pub fn row_key(headers: &[String], row: &[String]) -> String {
    let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
    if headers.first().map(String::as_str) == Some("NAMESPACE") {
        format!("{}/{}", get(0), get(1))
    } else {
        get(0).to_string()
    }
}

impl LiveTable {
    /// Take a new snapshot. Cells that differ from the last one (and whole new rows) are
    /// highlighted until `now + HIGHLIGHT`; the first snapshot highlights nothing. True if
    /// anything visible changed.
    pub fn update(&mut self, new: Table, now: Instant) -> bool {
        if !self.loaded {
            self.loaded = true;
            self.table = new;
            return true;
        }
        if same_ignoring_volatile(&new, &self.table) {
            // Only AGE moved: keep the data fresh, but nothing on screen changes.
            self.table = new;
            return false;
        }
        let until = now + HIGHLIGHT;
        let old_rows: HashMap<String, &Vec<String>> = self
            .table
            .rows
            .iter()
            .map(|r| (row_key(&self.table.headers, r), r))
            .collect();
        let old_col = |h: &str| self.table.headers.iter().position(|x| x == h);
        let mut fresh = Vec::new();
        for row in &new.rows {
            let key = row_key(&new.headers, row);
            let old = old_rows.get(&key);
            for (i, header) in new.headers.iter().enumerate() {
                if VOLATILE_COLUMNS.contains(&header.as_str()) {
                    continue;
                }
                let before = old.and_then(|o| old_col(header).and_then(|j| o.get(j)));
                if before != row.get(i) {
                    fresh.push((key.clone(), header.clone()));
                }
            }
        }
        let keys: std::collections::HashSet<String> = new.rows.iter().map(|r| row_key(&new.headers, r)).collect();
        self.highlights.retain(|(k, _), _| keys.contains(k));
        for cell in fresh {
            self.highlights.insert(cell, until);
        }
        self.table = new;
        true
    }

    pub fn is_highlighted(&self, key: &str, header: &str) -> bool {
        self.highlights.contains_key(&(key.to_string(), header.to_string()))
    }
}

impl App {
    /// New table snapshots. True if anything changed.
    pub fn set_tables(&mut self, tables: Vec<(ResourceTab, Table)>, now: Instant) -> bool {
        let mut changed = false;
        for (tab, table) in tables {
            if let Some(i) = ResourceTab::ALL.iter().position(|t| *t == tab) {
                changed |= self.tables[i].update(table, now);
            }
        }
        changed
    }

    /// Traffic events (a burst, in order), seen at `now`; `clock` is the wall time shown
    /// (`HH:MM:SS`). True if the screen changed (the traffic view is shown and counted one).
    pub fn on_traffic<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a crate::runtime::net::TrafficEvent>,
        now: Instant,
        clock: &str,
    ) -> bool {
        let mut changed = false;
        for ev in events {
            changed |= self.traffic.record(ev, now, clock);
        }
        changed && self.traffic_shown()
    }

    /// Drop highlights that ended. True if one did (on screen).
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut changed = self.traffic.expire(now) && self.traffic_shown();
        for t in &mut self.tables {
            let before = t.highlights.len();
            t.highlights.retain(|_, until| *until > now);
            changed |= t.highlights.len() != before;
        }
        changed
    }

    /// When the next highlight ends (the event loop's one-shot timer), if any is shown.
    pub fn next_deadline(&self) -> Option<Instant> {
        let tables = self.tables.iter().flat_map(|t| t.highlights.values()).min().copied();
        tables.into_iter().chain(self.traffic.next_deadline()).min()
    }
}
