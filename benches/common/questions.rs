/// The six questions `benches/engine.rs` and `examples/profile.rs` time: one per kind
/// of answer (a window by name, money, withdrawal, care, danger, kana input).
pub const QUESTIONS: [&str; 6] = [
    "成年後見について相談したい",
    "お金がなくて家賃が払えない",
    "息子が何年も部屋から出てこない",
    "介護保険の申請はどこでするの",
    "死にたい",
    "せいねんこうけん",
];
