//! `tsunagu line richmenu --city C`: creates the city's rich menu (six areas: the main
//! needs, 緊急の相談 and 使い方) through the Messaging API, uploads the image shipped in
//! `assets/line/richmenu.png`, and makes it the default for every user. Taps send
//! ordinary messages (or the 使い方 postback), so the webhook answers them like typed
//! questions: the menu adds no logic of its own.

use serde_json::{json, Value};

use super::client::Client;
use super::render::Postback;
use super::{LineConfig, Secret};
use crate::content::City;
use crate::messages::line as msg;

/// 1200×810, 3×2 tiles; regenerate with `assets/line/make_richmenu.py`.
pub const IMAGE: &[u8] = include_bytes!("../../assets/line/richmenu.png");
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 810;
const COLS: u32 = 3;
const ROWS: u32 = 2;

/// The rich menu object (`RichMenuRequest`).
pub fn object(city: City) -> Value {
    let (w, h) = (WIDTH / COLS, HEIGHT / ROWS);
    let areas: Vec<Value> = msg::RICHMENU_AREAS
        .iter()
        .enumerate()
        .map(|(i, (label, text))| {
            let (x, y) = ((i as u32 % COLS) * w, (i as u32 / COLS) * h);
            let action = if text.is_empty() {
                json!({ "type": "postback", "label": label, "data": Postback::Help.data(), "displayText": label })
            } else {
                json!({ "type": "message", "label": label, "text": text })
            };
            json!({ "bounds": { "x": x, "y": y, "width": w, "height": h }, "action": action })
        })
        .collect();
    json!({
        "size": { "width": WIDTH, "height": HEIGHT },
        "selected": true,
        "name": format!("tsunagu-{}", city.as_str()),
        "chatBarText": msg::RICHMENU_CHAT_BAR,
        "areas": areas,
    })
}

/// Create → upload image → set as default. Returns the rich menu id.
pub async fn install(config: &LineConfig, city: City) -> anyhow::Result<String> {
    let Some(channel) = config.channel(city) else {
        anyhow::bail!(
            "no LINE channel for {c}: set LINE_{C}_CHANNEL_SECRET and LINE_{C}_ACCESS_TOKEN",
            c = city.as_str(),
            C = city.env_key()
        );
    };
    let token: &Secret = &channel.token;
    let client = Client::new(
        &config.api_base,
        &config.data_base,
        std::time::Duration::from_secs(30),
    );
    let created = client
        .post_json(token, "/v2/bot/richmenu", &object(city))
        .await?;
    let Some(id) = created["richMenuId"].as_str().map(str::to_string) else {
        anyhow::bail!("the API did not return a richMenuId");
    };
    client
        .post_data(
            token,
            &format!("/v2/bot/richmenu/{id}/content"),
            "image/png",
            IMAGE.to_vec(),
        )
        .await?;
    client
        .post_json(
            token,
            &format!("/v2/bot/user/all/richmenu/{id}"),
            &json!({}),
        )
        .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_areas_tile_the_shipped_image_within_line_limits() {
        // PNG header: width and height are big-endian at bytes 16..24.
        assert_eq!(&IMAGE[1..4], b"PNG");
        let w = u32::from_be_bytes(IMAGE[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(IMAGE[20..24].try_into().unwrap());
        assert_eq!((w, h), (WIDTH, HEIGHT));
        assert!(IMAGE.len() <= 1024 * 1024, "image ≤1 MB");
        assert!((800..=2500).contains(&w) && h >= 250 && w as f64 / h as f64 >= 1.45);
        let o = object(City::named("tsuruoka").unwrap());
        let areas = o["areas"].as_array().unwrap();
        assert_eq!(areas.len(), 6);
        let covered: u32 = areas
            .iter()
            .map(|a| {
                a["bounds"]["width"].as_u64().unwrap() as u32
                    * a["bounds"]["height"].as_u64().unwrap() as u32
            })
            .sum();
        assert_eq!(covered, WIDTH * HEIGHT);
        assert!(o["chatBarText"].as_str().unwrap().chars().count() <= 14);
        for a in areas {
            assert!(a["action"]["label"].as_str().unwrap().chars().count() <= 20);
        }
    }
}
