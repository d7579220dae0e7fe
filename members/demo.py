"""Deterministic generators of realistic demo people (names, ID numbers, phones).

Used by ``seed_demo`` and by the benchmarks; the same seed gives the same
people every time.
"""
import random
from datetime import date, timedelta

from organizations.validators import id_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文朴"
MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"

#: (province, city, weight, typical trades) of the demo county's members away.
DESTINATIONS = [
    ("上海市", "上海市", 14), ("北京市", "北京市", 12), ("辽宁省", "沈阳市", 11), ("辽宁省", "大连市", 10),
    ("山东省", "青岛市", 10), ("韩国", "首尔", 9), ("吉林省", "长春市", 8), ("吉林省", "延吉市", 8),
    ("广东省", "深圳市", 6), ("天津市", "天津市", 5), ("浙江省", "杭州市", 4), ("江苏省", "苏州市", 3),
]
OCCUPATIONS = [
    ("建筑工人", "construction"), ("餐馆服务员", "hospitality"), ("个体经营", "wholesale_retail"),
    ("工厂操作工", "manufacturing"), ("货车司机", "transport"), ("软件工程师", "it"),
    ("护工", "health"), ("家政服务", "resident_services"), ("研究生在读", "study"),
    ("农业技术员", "agriculture"), ("销售代表", "wholesale_retail"), ("教师", "education"),
]
STREETS = ["人民路", "解放大街", "长江路", "中山路", "建设街", "和平路", "友谊路", "光明街", "新华路", "黄河路"]


class PersonGenerator:
    def __init__(self, seed: int, region_code: str = "222424"):
        self.rng = random.Random(seed)
        self.region_code = region_code
        self.used_ids: set[str] = set()

    def name(self, male: bool) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def birth_date(self) -> date:
        return date(1950, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 52))

    def id_number(self, birth: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{self.region_code}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_check_char(first17)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def phone(self) -> str:
        return self.rng.choice(["138", "139", "150", "152", "157", "182", "187", "135", "136", "158"]) + f"{self.rng.randrange(10**8):08d}"

    def destination(self):
        province, city, _weight = self.rng.choices(DESTINATIONS, weights=[d[2] for d in DESTINATIONS])[0]
        address = f"{city}{self.rng.choice(STREETS)}{self.rng.randrange(1, 999)}号"
        return province, city, address

    def occupation(self):
        return self.rng.choice(OCCUPATIONS)
