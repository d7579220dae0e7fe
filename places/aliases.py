"""What people write that the code tables do not say: common names of countries, foreign cities, variants.

Kept small and by hand; each entry is a way of writing seen in registers, not a table of the world.
"""

#: Names used on forms instead of the ISO 3166 Chinese names (which also corrects 柬埔塞 → 柬埔寨).
COUNTRY_NAMES = {
    "KR": "韩国", "KP": "朝鲜", "TW": "中国台湾", "LA": "老挝", "IR": "伊朗", "KH": "柬埔寨", "SY": "叙利亚",
    "VE": "委内瑞拉", "BO": "玻利维亚", "TZ": "坦桑尼亚", "MD": "摩尔多瓦", "RU": "俄罗斯", "VN": "越南",
}

#: Other ways of writing a country.
COUNTRY_ALIASES = {
    "南韩": "KR", "大韩民国": "KR", "韩": "KR", "北韩": "KP", "台湾": "TW", "台湾省": "TW", "香港特别行政区": "HK",
    "澳门特别行政区": "MO", "美利坚合众国": "US", "美国": "US", "俄国": "RU", "俄罗斯联邦": "RU", "日本国": "JP",
    "英国": "GB", "大不列颠": "GB", "澳洲": "AU", "阿拉伯联合酋长国": "AE", "迪拜": "AE", "缅甸": "MM",
    "老挝": "LA", "柬埔寨": "KH", "蒙古国": "MN", "外蒙": "MN", "新加坡": "SG", "马来西亚": "MY",
}

#: Foreign cities written without their country (``首尔`` alone).
FOREIGN_CITIES = {
    "首尔": "KR", "汉城": "KR", "釜山": "KR", "仁川": "KR", "大邱": "KR", "光州广域市": "KR", "水原": "KR",
    "安山": "KR", "济州": "KR", "平壤": "KP", "东京": "JP", "大阪": "JP", "名古屋": "JP", "横滨": "JP",
    "福冈": "JP", "札幌": "JP", "神户": "JP", "京都": "JP", "纽约": "US", "洛杉矶": "US", "旧金山": "US",
    "芝加哥": "US", "西雅图": "US", "莫斯科": "RU", "海参崴": "RU", "符拉迪沃斯托克": "RU", "圣彼得堡": "RU",
    "哈巴罗夫斯克": "RU", "伦敦": "GB", "巴黎": "FR", "柏林": "DE", "法兰克福": "DE", "悉尼": "AU",
    "墨尔本": "AU", "多伦多": "CA", "温哥华": "CA", "奥克兰": "NZ", "吉隆坡": "MY", "曼谷": "TH",
    "河内": "VN", "胡志明市": "VN", "金边": "KH", "万象": "LA", "仰光": "MM", "雅加达": "ID", "马尼拉": "PH",
    "乌兰巴托": "MN", "阿布扎比": "AE", "多哈": "QA", "利雅得": "SA", "迪拜": "AE",
}

#: Misspellings that are not homophones (homophones, 杭洲 for 杭州, are found by their pinyin).
VARIANTS = {
    "廷吉": "延吉", "廷边": "延边", "延辺": "延边", "深川": "深圳", "沉阳": "沈阳", "哈儿滨": "哈尔滨",
    "石家在": "石家庄", "乌鲁木其": "乌鲁木齐", "呼和浩持": "呼和浩特", "汪请": "汪清", "辉春": "珲春",
    "挥春": "珲春", "敖化": "敦化", "图门": "图们", "龙进": "龙井", "廈门": "厦门", "夏门": "厦门",
    "苏卅": "苏州", "杭卅": "杭州", "广卅": "广州", "上每": "上海",
}
