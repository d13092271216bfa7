package dev.tokenscope.classify;

/**
 * Tells simplified from traditional Chinese by counting common characters whose two forms differ. Each list
 * holds only forms that the other variant does not use in ordinary text (pairs such as 后/後, 里/裡 or 台/臺,
 * where the simplified form is also a traditional character, are left out of the simplified list).
 * Written by hand for this project; text with no distinguishing character is taken as simplified, the
 * far more common variant in LLM logs.
 */
final class ChineseVariant {

    private static final String SIMPLIFIED =
        "们这说国时会为来个对么东车长门问间关开发见进经过还动电话语学书写样实现应该给让认识点头买卖钱请谢气机网"
        + "页题数据处将与从众产业务报纸节层边历译讲计设记许论读谁难双变总级线结统织组细红绿蓝鱼鸟马飞龙乐术专华汉"
        + "转轻较辆运远连选递导试调谈资贵费货质购顺预领风饭馆验盖尽虽热无师归岁图园员圆听响欢观觉视亲规证词续终钟"
        + "错键铁银阳阴队际陆爱压厂厅广库庄义习乡乱争亚传伤优价伟儿兴养农冲决况净准刚创则剧办劳势区医单卫参号吗启"
        + "团块坚场坏声备复够夺奋妇妈孙宁宝宽尔尘岛币帮带庆张弹强录彻忆怀态恶悬惊惯戏战扩扫执护担拥择挂换摄敌断旧"
        + "显晓杀权条杨极构标树桥检楼欧毕汇沟没济测浅满灯灵灾烟爷状独猫环画畅疗盘监礼离种称积穷笔简类粮紧纪约纯练"
        + "绍绝继维综编缓罗职联肃胜脑脚苏药获营虑补装览讨训议访评诉诗误课贝负责败赛赶软输达迁迟适邮闭闻阅阶陈险随"
        + "隐雾静韩顶项须顾频颜饮驾鲁鸡麦齐龄龟着该语间码软件";
    private static final String TRADITIONAL =
        "們這說國時會為來個對麼東車長門問間關開發見進經過還動電話語學書寫樣實現應該給讓認識點頭買賣錢請謝氣機網"
        + "頁題數據處將與從眾產業務報紙節層邊歷譯講計設記許論讀誰難雙變總級線結統織組細紅綠藍魚鳥馬飛龍樂術專華漢"
        + "轉輕較輛運遠連選遞導試調談資貴費貨質購順預領風飯館驗蓋盡雖熱無師歸歲圖園員圓聽響歡觀覺視親規證詞續終鐘"
        + "錯鍵鐵銀陽陰隊際陸愛壓廠廳廣庫莊義習鄉亂爭亞傳傷優價偉兒興養農衝決況淨準剛創則劇辦勞勢區醫單衛參號嗎啟"
        + "團塊堅場壞聲備復夠奪奮婦媽孫寧寶寬爾塵島幣幫帶慶張彈強錄徹憶懷態惡懸驚慣戲戰擴掃執護擔擁擇掛換攝敵斷舊"
        + "顯曉殺權條楊極構標樹橋檢樓歐畢匯溝沒濟測淺滿燈靈災煙爺狀獨貓環畫暢療盤監禮離種稱積窮筆簡類糧緊紀約純練"
        + "紹絕繼維綜編緩羅職聯肅勝腦腳蘇藥獲營慮補裝覽討訓議訪評訴詩誤課貝負責敗賽趕軟輸達遷遲適郵閉聞閱階陳險隨"
        + "隱霧靜韓頂項須顧頻顏飲駕魯雞麥齊齡龜後裡裏臺髮麵雲體";

    private static final java.util.BitSet SIMPLIFIED_SET = setOf(SIMPLIFIED);
    private static final java.util.BitSet TRADITIONAL_SET = setOf(TRADITIONAL);

    private ChineseVariant() {
    }

    static Language of(CharSequence text) {
        int simplified = 0;
        int traditional = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x4E00 && c <= 0x9FFF) {
                if (SIMPLIFIED_SET.get(c)) {
                    simplified++;
                } else if (TRADITIONAL_SET.get(c)) {
                    traditional++;
                }
            }
        }
        return traditional > simplified ? LanguageIdentifier.ZH_HANT : LanguageIdentifier.ZH_HANS;
    }

    private static java.util.BitSet setOf(String chars) {
        java.util.BitSet set = new java.util.BitSet(0xA000);
        chars.chars().forEach(set::set);
        return set;
    }
}
