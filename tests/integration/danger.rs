//! Danger told in ordinary words: each class raises the crisis block with the lines that
//! fit it, in both cities, whatever the register (story, keywords, kana, half-width,
//! English); calm questions on the same themes do not; English questions say so.

use tsunagu::answer::lang::Lang;
use tsunagu::content::City;

use crate::helpers::*;

/// (class, a phone its crisis block must show, wordings).
const CLASSES: &[(&str, &str, &[&str])] = &[
    (
        "dv",
        "#8008",
        &[
            "dv 夫",
            "ＤＶ　旦那",
            "彼氏が腕をつかんでドアの前に立ちふさがって、部屋から出してくれない",
            "夫にスマホを取り上げられて、生活費も渡してもらえません。実家にも連絡できない",
            "おっとに なぐられる",
            "ｶﾚｼにけられた",
            "元夫がずっと後をつけてくる",
            "子どもを連れて家を出たい。夫の機嫌を損ねると物を投げられる",
            "my husband hits me",
            "My boyfriend took my phone and locks me in the apartment",
        ],
    ),
    (
        "child-abuse",
        "189",
        &[
            "隣の部屋から小さい子が怒鳴られて泣き叫ぶ声が毎晩聞こえる",
            "担任しているクラスの生徒の腕にあざがいくつもある",
            "孫が夜中に一人で留守番させられていて、ご飯も食べさせてもらえていない様子",
            "自分の子どもを叩いてしまいそうで怖い",
            "ぎゃくたい きんじょ こども なきごえ",
            "I hear the neighbour's kid screaming every night and I think he is being hit",
        ],
    ),
    (
        "carer-crisis",
        "110",
        &[
            "認知症の母の介護でもう限界。このままだと手をあげてしまいそう",
            "介護に疲れて、父を殺してしまうかもしれない",
            "寝たきりの夫の世話をしていて、つい叩いてしまった",
            "デイサービスの職員が祖母を乱暴に扱っていて、腕にあざがあった",
            "兄が母の年金を使い込んでいる",
            "I care for my elderly mother and I am afraid I will hurt her",
        ],
    ),
    (
        "suicide",
        "0120-279-338",
        &[
            "仕事でミスが続いて、借金もあって、家族にも言えない。もう目が覚めなければいいのにと思う",
            "生きてる価値ないし消えられたら楽",
            "ｼﾆﾀｲ",
            "しにたい",
            "I want to die",
            "I don't want to live anymore",
        ],
    ),
    (
        "self-harm",
        "119",
        &[
            "イライラすると腕を切ってしまう",
            "リスカやめられない",
            "薬をまとめて飲んだ",
            "I cut myself when I am angry",
            "ｵｰﾊﾞｰﾄﾞｰｽﾞしちゃった",
        ],
    ),
    (
        "no-food",
        "0120-279-338",
        &[
            "親に家を追い出されて今夜寝る場所がない",
            "ネットカフェで寝泊まりしていてお金が1円もない",
            "もう三日なにも食べてない",
            "財布に数百円しかない",
            "I have nowhere to sleep tonight",
            "I have no food and no money left",
        ],
    ),
    (
        "violence-now",
        "110",
        &[
            "家の前に元彼がいて殺すと言われた",
            "たすけて",
            "please help me",
            "包丁を持って暴れている",
            "help me, he is going to kill me",
        ],
    ),
];

#[test]
fn every_danger_class_raises_the_crisis_block_in_any_wording() {
    let mut missed = Vec::new();
    for (class, phone, wordings) in CLASSES {
        for msg in *wordings {
            for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
                let a = engine().answer(msg, Some(city), 5);
                let phones = crisis_phones(&a);
                if !phones.iter().any(|p| p == phone) {
                    missed.push(format!("{class} [{city:?}] {msg:?}: {phones:?}"));
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "crisis lines missing:\n{}",
        missed.join("\n")
    );
}

#[test]
fn a_carer_who_might_hurt_someone_gets_lines_for_themselves_too() {
    let a = engine().answer(
        "介護がつらくて、このままでは母を殺してしまいそう",
        Some(City::named("tsuruoka").unwrap()),
        5,
    );
    let phones = crisis_phones(&a);
    assert!(phones.contains(&"110".to_string()), "{phones:?}");
    assert!(phones.contains(&"0120-279-338".to_string()), "{phones:?}");
}

/// Ordinary questions about the same themes must stay calm.
const CALM: &[&str] = &[
    "DV防止の講座はありますか",
    "虐待防止の研修に参加したい",
    "介護で疲れた",
    "子どもを叱りすぎたかも",
    "私が死んだら障害のある息子はどうなるのか心配です",
    "親亡き後の住まいについて知りたい",
    "家族を自殺で亡くしました",
    "自殺対策の計画を読みたい",
    "子ども食堂のボランティアをしたい",
    "夫の介護保険の申請をしたい",
    "赤ちゃんの夜泣きがひどくて眠れない",
    "how do I apply for nursing care insurance",
    "where can I get a health check for my baby",
    "I want to volunteer at a food bank",
];

#[test]
fn calm_questions_on_the_same_themes_do_not_raise_the_crisis_block() {
    let mut alarms = Vec::new();
    for msg in CALM {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let a = engine().answer(msg, Some(city), 5);
            if let Some(e) = &a.emergency {
                alarms.push(format!("[{city:?}] {msg:?}: {:?}", e.dangers));
            }
        }
    }
    assert!(alarms.is_empty(), "false alarms:\n{}", alarms.join("\n"));
}

#[test]
fn english_questions_are_answered_in_the_same_needs_and_say_so() {
    for (q, need) in [
        ("I can't pay my rent", "konkyu"),
        ("who can help with my elderly mother", "ninchisho-kaigo"),
        ("my husband hits me", "dv"),
    ] {
        let a = engine().answer(q, Some(City::named("sagamihara").unwrap()), 5);
        assert_eq!(a.lang, Lang::En, "{q}");
        assert_eq!(a.need.as_deref(), Some(need), "{q}");
        let label = a.need_label.as_deref().unwrap_or("");
        assert!(label.is_ascii() && !label.is_empty(), "{q}: {label:?}");
        assert!(!a.results.is_empty(), "{q}");
    }
    let a = engine().answer("家賃が払えない", Some(City::named("sagamihara").unwrap()), 5);
    assert_eq!(a.lang, Lang::Ja);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["lang"], "ja");
}

#[test]
fn kana_only_questions_reach_their_need() {
    for (q, need) in [
        ("おかね が ない", "konkyu"),
        ("かいご の そうだん", "ninchisho-kaigo"),
    ] {
        let a = engine().answer(q, Some(City::named("tsuruoka").unwrap()), 5);
        assert_eq!(a.need.as_deref(), Some(need), "{q}");
    }
}

/// Despair that names no clear danger, in a resident's or a staff member's words.
const DESPAIR: &[&str] = &[
    "毎日もう疲れた。誰にも頼れない",
    "借金のことを考えると絶望しかない。でも家族のために働かないと",
    "一人暮らしで話す人もいなくて、孤独でたまらない",
    "介護が続いて、もう限界です",
    "私は家族のお荷物になっている気がする",
    "I feel hopeless and worn out, I can't cope anymore",
];

#[test]
fn despair_without_danger_gets_the_calm_support_block_and_not_the_crisis_block() {
    for msg in DESPAIR {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let a = engine().answer(msg, Some(city), 5);
            assert!(a.emergency.is_none(), "[{city:?}] {msg}: no crisis block");
            let s = a
                .support
                .as_ref()
                .unwrap_or_else(|| panic!("[{city:?}] {msg}: support block"));
            assert_eq!(s.title, "つらい気持ちを話せる窓口");
            // Two lines that listen, the 24-hour one first.
            assert!(s.contacts.len() >= 2, "{msg}");
            assert!(s.contacts[0].hours.as_deref().unwrap_or("").contains("24時間"), "{msg}");
        }
    }
}

#[test]
fn a_parent_who_hit_once_and_asks_how_to_stop_gets_the_parenting_window_and_support() {
    let a = engine().answer(
        "カッとなって子どもを一度叩いてしまった。二度としたくない、どうしたらやめられる？",
        Some(City::named("sagamihara").unwrap()),
        5,
    );
    assert!(a.emergency.is_none(), "{:?}", a.emergency.map(|e| e.dangers));
    assert!(a.support.is_some());
    assert_eq!(a.need.as_deref(), Some("kosodate"));
    // Danger still wins: the same parent afraid of doing it again and again, tonight.
    let a = engine().answer("毎日子どもを叩いてしまう。止められない", Some(City::named("sagamihara").unwrap()), 5);
    assert!(a.emergency.is_some() && a.support.is_none());
}

/// Danger told without its usual words, in the families public guidance lists (written
/// for this test from the guidance in sources.toml, not copied from any question set).
const TOLD_WITHOUT_THE_WORD: &[(&str, &str)] = &[
    ("suicide", "ホームセンターでロープを買ってきた。もう準備はできている"),
    ("suicide", "駅のホームで線路をずっと見つめてしまう"),
    ("suicide", "身辺整理をして、家族に今までありがとうと手紙を書いた"),
    ("suicide", "私なんて生まれてこなければよかった。いない方がみんな幸せ"),
    ("suicide", "Everyone would be better off without me"),
    ("self-harm", "腹が立つとカッターで切ってしまう。切るとホッとする"),
    ("child-abuse", "夜になると義父が部屋に入ってきて体を触ってくる"),
    ("child-abuse", "子どもの目の前で夫が私を殴る"),
    ("dv", "夫が生活費を渡してくれず、スマホも毎日チェックされ、友達と会うなと言われる"),
    ("dv", "彼女に誰と会っていたのか毎晩問い詰められ、LINEを全部見られる"),
    ("elder-abuse", "80代の母の年金を同居の長男が勝手に使い込み、食事も用意していない"),
    ("carer-crisis", "寝たきりの父の介護で、取り返しのつかないことをしてしまいそう"),
];

#[test]
fn danger_told_through_means_preparation_or_control_raises_its_class() {
    let mut missed = Vec::new();
    for (class, msg) in TOLD_WITHOUT_THE_WORD {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let a = engine().answer(msg, Some(city), 5);
            let raised = a.emergency.as_ref().map(|e| e.dangers.clone()).unwrap_or_default();
            if !raised.iter().any(|d| d == class) {
                missed.push(format!("{class} [{city:?}] {msg}: {raised:?}"));
            }
        }
    }
    assert!(missed.is_empty(), "not raised:\n{}", missed.join("\n"));
}

/// Look-alikes that must stay calm: neither block.
const STAYS_CALM: &[&str] = &[
    "高齢者虐待防止ネットワークの会議はいつですか",
    "市民としてDVについて何ができるか知りたい",
    "よりそいホットライン",
    "DV相談ナビの番号",
    "夜泣きがひどく、虐待と思われないか心配です",
    "来月出所するが住むところがまだ決まっていない",
    "防災用にロープと懐中電灯を用意した",
    "認知症の父が通帳をなくしてしまう",
];

#[test]
fn prevention_hotline_names_and_urgent_but_safe_questions_stay_calm() {
    for msg in STAYS_CALM {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let a = engine().answer(msg, Some(city), 5);
            assert!(
                a.emergency.is_none() && a.support.is_none(),
                "[{city:?}] {msg}: {:?} {:?}",
                a.emergency.map(|e| e.dangers),
                a.support.map(|s| s.signs)
            );
        }
    }
}
