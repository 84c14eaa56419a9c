//! Ranking the search hits for residents: windows before plan text, the recognised
//! need's records up, the route's first stop kept in view, one card per window family.

use std::collections::HashSet;

use super::{kind_weight, Engine};
use crate::content::City;
use crate::search::Hit;

impl Engine {
    /// BM25 × kind × need match. Windows first when scores are close: residents want
    /// somewhere to call, not the plan's prose.
    /// The recognised needs boost records on their topics: the main need most, the
    /// second (「生活保護…介護保険」) somewhat, so both kinds of window appear.
    pub(super) fn rerank(&self, hits: Vec<Hit>, needs: &[String]) -> Vec<(String, f32)> {
        let topic_of = |i: usize| {
            needs
                .get(i)
                .and_then(|n| self.catalog.need(n))
                .map(|n| n.topic.as_str())
        };
        let (first, second) = (topic_of(0), topic_of(1).filter(|t| Some(*t) != topic_of(0)));
        let mut scored: Vec<(String, f32)> = hits
            .into_iter()
            .filter_map(|h| {
                let r = self.catalog.record(&h.id)?;
                let mut s = h.score * kind_weight(r.kind);
                let serves = |t: Option<&str>| t.is_some_and(|t| r.topics.iter().any(|rt| rt == t));
                if serves(first) {
                    s *= 1.8;
                } else if serves(second) {
                    s *= 1.4;
                }
                if !r.has_phone() {
                    s *= 0.7;
                }
                Some((h.id, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.one_per_family(scored)
    }

    /// The record the content's route for `need` in `city` starts at.
    pub(super) fn first_stop(&self, city: Option<City>, need: Option<&str>) -> Option<String> {
        let route = self.catalog.route(city?, need?)?;
        route.steps.first()?.record.clone()
    }

    /// When a need is recognised, the window its route starts at is among the first
    /// three cards even if the question's words did not name it (「成年後見」 does not
    /// mention 区の高齢者相談課, yet that is where the plan sends the case first).
    pub(super) fn keep_first_stop_in_view(
        &self,
        ranked: &mut Vec<(String, f32)>,
        city: Option<City>,
        need: Option<&str>,
    ) {
        let Some(stop) = self.first_stop(city, need) else {
            return;
        };
        if ranked.is_empty() || ranked.iter().take(3).any(|(id, _)| *id == stop) {
            return;
        }
        ranked.retain(|(id, _)| *id != stop);
        let score = ranked[0].1;
        ranked.insert(1.min(ranked.len()), (stop, score));
    }

    /// Keeps the best record of each `group` (one window in several wards) at its
    /// place and moves its siblings after the others, so three wards of one window do
    /// not push every other kind of help out of the top three.
    pub(super) fn one_per_family(&self, scored: Vec<(String, f32)>) -> Vec<(String, f32)> {
        let mut seen: HashSet<&str> = HashSet::new();
        let (mut first, mut later) = (Vec::new(), Vec::new());
        for item in scored {
            // A record is its own family unless it names a group.
            let family = self.catalog.record(&item.0).map(|r| r.group.as_deref().unwrap_or(&r.id));
            if family.is_none_or(|f| seen.insert(f)) {
                first.push(item);
            } else {
                later.push(item);
            }
        }
        first.extend(later);
        first
    }
}
