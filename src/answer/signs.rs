//! The crisis and support blocks for a message: the hand-written rules first, then the
//! learned detector where the rules found nothing and no rule's mask spoke (see
//! `emergency.rs` and `detector.rs`). Answers, case notes, the staff view and the slip
//! all come here, so no surface decides danger itself.

use super::{detector, emergency, lang, spelling, Blocks, Emergency, Engine, SUPPORT_SIGN};
use crate::content::City;

impl Engine {
    /// The crisis block for an already normalised message, if it signals danger.
    pub fn emergency(&self, normalized: &str, city: Option<City>) -> Option<Emergency> {
        self.signs(normalized, city).emergency
    }

    /// The crisis or support block for an already normalised message.
    pub fn signs(&self, normalized: &str, city: Option<City>) -> Blocks {
        let view = spelling::View::new(normalized);
        let hits = self.scanner.scan(&view);
        self.blocks(&view, &hits, city, lang::detect(normalized))
    }

    pub(super) fn blocks(
        &self,
        view: &spelling::View,
        hits: &spelling::Hits,
        city: Option<City>,
        lang: lang::Lang,
    ) -> Blocks {
        let (catalog, rules, scanner) = (&self.catalog, &self.dangers, &self.scanner);
        let blocks = emergency::detect(catalog, rules, view, hits, scanner, city, lang);
        if blocks.emergency.is_some() || blocks.support.is_some() {
            return blocks;
        }
        let Some(model) = &self.detector else {
            return blocks;
        };
        // A message a rule was written to keep calm (a hotline's name, a thesis on DV)
        // stays calm: the model learned words, the rules' masks say what they mean.
        if rules.iter().any(|r| r.calmed_by(hits)) {
            return blocks;
        }
        let sign = |id: &str| catalog.dangers.iter().find(|d| d.id == id);
        match model.judge(view, SUPPORT_SIGN) {
            detector::Verdict::Calm => blocks,
            detector::Verdict::Support => {
                emergency::blocks(catalog, &sign(SUPPORT_SIGN).into_iter().collect::<Vec<_>>(), city, lang)
            }
            detector::Verdict::Emergency(id) => {
                emergency::blocks(catalog, &sign(&id).into_iter().collect::<Vec<_>>(), city, lang)
            }
        }
    }

    /// The same engine without the learned detector: the rules alone (for measuring
    /// what the detector adds).
    pub fn without_detector(mut self) -> Engine {
        self.detector = None;
        self
    }

    /// The learned detector's features of a message (for its trainer).
    pub fn detector_features(&self, text: &str) -> Vec<String> {
        let q = self.index.analyzer.query(text);
        detector::features(&spelling::View::new(&q.normalized))
    }

    /// The blocks for signs named by id (unknown ids are ignored), as [`Engine::answer`]
    /// would have shown them for a Japanese message (a referral slip carries the ids).
    pub fn blocks_for(&self, signs: &[String], city: Option<City>) -> Blocks {
        let known: Vec<&crate::content::Danger> = self
            .catalog
            .dangers
            .iter()
            .filter(|d| signs.contains(&d.id))
            .collect();
        emergency::blocks(&self.catalog, &known, city, lang::Lang::Ja)
    }

    /// The crisis block alone for signs named by id.
    pub fn crisis_for(&self, dangers: &[String], city: Option<City>) -> Option<Emergency> {
        self.blocks_for(dangers, city).emergency
    }

}
