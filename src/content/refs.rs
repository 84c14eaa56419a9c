//! References between records (plan, fallback), checked once every record is known.

use crate::content::model::RecordIds;


use super::model::*;
use super::loader::Loader;

impl Loader {
    pub(super) fn index_records(&mut self, records: &[Record]) -> RecordIds {
        let mut by_id = RecordIds::default();
        let refs = std::mem::take(&mut self.pending_refs);
        for (i, r) in records.iter().enumerate() {
            if by_id.insert(r.id.clone(), i).is_some() {
                let rf = &refs[i];
                self.err(
                    &rf.file,
                    rf.id_span.clone(),
                    "record.id",
                    format!("duplicate id {}", r.id),
                );
            }
        }
        self.pending_refs = refs;
        by_id
    }

    pub(super) fn check_references(&mut self, records: &[Record], by_id: &RecordIds) {
        let refs = std::mem::take(&mut self.pending_refs);
        for (r, rf) in records.iter().zip(refs.iter()) {
            for p in &rf.plan {
                match by_id.get(p.get_ref()).map(|&i| &records[i]) {
                    Some(t) if t.kind == Kind::Plan => {}
                    Some(_) => self.err(
                        &rf.file,
                        p.span(),
                        &format!("record[{}].plan", r.id),
                        format!("{} is not a plan record", p.get_ref()),
                    ),
                    None => self.err(
                        &rf.file,
                        p.span(),
                        &format!("record[{}].plan", r.id),
                        format!("no record has the id {}", p.get_ref()),
                    ),
                }
            }
            if let Some(fb) = &rf.fallback {
                match by_id.get(fb.get_ref()).map(|&i| &records[i]) {
                    Some(t) if !t.has_phone() => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!(
                            "{} has no phone either; point at a window with a verified phone",
                            fb.get_ref()
                        ),
                    ),
                    Some(t) if t.city != r.city && t.city != City::National => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!("{} belongs to another city", fb.get_ref()),
                    ),
                    Some(_) => {}
                    None => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!("no record has the id {}", fb.get_ref()),
                    ),
                }
            }
        }
    }
}
