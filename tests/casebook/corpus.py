"""Generated case texts for the casebook's tests and bench/casebook_search.py: the personal
data the anonymisation must remove, and a search corpus of filler cases around 20 intended
ones with their hand-written queries. Deterministic: a seeded random.Random."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
COMPOUND = ["欧阳", "司马", "诸葛", "上官"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰春梅海波"
ROLE = ["申请人", "被申请人", "证人", "委托代理人", "法定代表人"]
CITIES = [
    ("北京市", "海淀区"),
    ("上海市", "浦东新区"),
    ("广东省深圳市", "南山区"),
    ("浙江省杭州市", "余杭区"),
]
STREETS = ["中关村大街", "学院路", "科技园南路", "文一西路", "张江路"]
REGIONS = ["110108", "310115", "440305", "330110"]
PLATE_PREFIX = "京沪粤浙"


@dataclass
class Text:
    text: str
    persons: list[str]
    secrets: dict[str, list[str]] = field(default_factory=dict)  # kind → values to be gone


def _name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.1 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _id(rng: random.Random) -> str:
    body = rng.choice(REGIONS) + f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return f"0{rng.choice(['10', '21', '755', '571'])}-{rng.randint(2000000, 89999999)}"
    number = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    return number if rng.random() < 0.7 else f"{number[:3]} {number[3:7]} {number[7:]}"


def _account(rng: random.Random) -> str:
    digits = "62" + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((14, 17))))
    if rng.random() < 0.5:
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    return digits


def personal_text(seed: int) -> Text:
    """One case text naming 2–4 people with identity numbers, phones, a bank account, an
    address and a licence plate, in varied phrasing."""
    rng = random.Random(seed)
    people = list(dict.fromkeys(_name(rng) for _ in range(rng.randint(2, 4))))
    ids, phones = [_id(rng) for _ in people], [_phone(rng) for _ in people]
    account = _account(rng)
    province, county = rng.choice(CITIES)
    address = f"{province}{county}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
    parts = []
    for i, person in enumerate(people):
        role = ROLE[i % len(ROLE)]
        parts.append(
            rng.choice(
                [
                    f"{role}{person}，公民身份号码{ids[i]}，联系电话{phones[i]}。",
                    f"{role}：{person}（身份证号：{ids[i]}，手机 {phones[i]}）。",
                    f"{person}系本案{role}，身份证{ids[i]}，电话：{phones[i]}。",
                ]
            )
        )
    first = people[0]
    parts.append(f"{first}住{address}，其收款账号为{account}。")
    parts.append(
        f"{people[-1]}称，曾驾驶车牌号{rng.choice(PLATE_PREFIX)}B{rng.randint(10000, 99999)}的车辆送货。"
    )
    parts.append(f"经调解，{people[1]}同意向{first}支付{rng.randint(1, 50)}万元。")
    return Text(
        "".join(parts),
        people,
        {"id_number": ids, "phone": phones, "bank_account": [account]},
    )


# --- the search corpus ---------------------------------------------------------------------

KINDS = ["patent", "trademark", "copyright", "unfair_competition", "trade_secret"]
PRODUCTS = [
    "手机壳",
    "电动牙刷",
    "保温杯",
    "蓝牙耳机",
    "儿童玩具",
    "茶叶",
    "服装",
    "扫地机器人",
    "充电宝",
    "台灯",
    "运动鞋",
    "化妆品",
    "白酒",
    "中药饮片",
    "自行车",
]
FILLER_FACTS = [
    "申请人认为被申请人销售的{p}侵害其权利，双方就赔偿数额存在争议。",
    "被申请人在电商平台销售{p}，申请人主张构成侵权并要求停止侵权。",
    "申请人发现被申请人生产的{p}与其产品相似，遂申请调解。",
    "双方就{p}的许可使用费发生纠纷，经法院委派调解。",
]
FILLER_MEDIATION = [
    "调解员组织双方线上调解，释明法律规定，双方达成调解协议。",
    "经两次视频调解，被申请人同意赔偿并停止销售，双方申请司法确认。",
    "调解员听取双方意见后提出方案，双方未能达成一致，调解不成。",
]

# (kind, industry, title, facts, query): each query must find its case in the top 3.
INTENDED = [
    (
        "patent",
        "manufacturing",
        "扫地机器人避障结构发明专利纠纷",
        "被申请人生产的扫地机器人采用激光雷达避障结构，申请人主张落入其发明专利权利要求1的保护范围。被申请人提出现有技术抗辩。",
        "扫地机器人 权利要求 现有技术抗辩",
    ),
    (
        "trademark",
        "retail",
        "直播带货销售假冒运动鞋商标纠纷",
        "被申请人通过直播带货销售带有与申请人注册商标近似标识的运动鞋，申请人认为构成商标近似、容易导致混淆。",
        "直播带货 运动鞋 商标近似",
    ),
    (
        "copyright",
        "media",
        "短视频平台传播综艺节目信息网络传播权纠纷",
        "被申请人在短视频平台上传申请人享有著作权的综艺节目片段，申请人主张侵害信息网络传播权。",
        "短视频 综艺节目 信息网络传播权",
    ),
    (
        "trade_secret",
        "chemicals",
        "涂料配方商业秘密纠纷",
        "申请人的前员工离职后加入被申请人，使用申请人的防腐涂料配方，申请人主张其采取了保密措施。",
        "涂料 商业秘密 保密措施",
    ),
    (
        "unfair_competition",
        "food",
        "月饼包装装潢仿冒混淆纠纷",
        "被申请人销售的月饼礼盒使用与申请人有一定影响的包装装潢相近似的设计，申请人主张构成仿冒混淆的不正当竞争。",
        "月饼 包装装潢 不正当竞争",
    ),
    (
        "patent",
        "electronics",
        "快充充电器实用新型专利纠纷",
        "申请人享有快充充电器散热结构实用新型专利，被申请人在电商平台销售的充电器具有相同散热鳍片。",
        "充电器 散热 实用新型",
    ),
    (
        "patent",
        "pharma",
        "中药颗粒制备方法发明专利许可费纠纷",
        "双方就中药颗粒制备方法发明专利的许可使用费支付发生争议，被申请人拖欠第二年度许可费。",
        "中药颗粒 制备方法 许可使用费",
    ),
    (
        "trademark",
        "food",
        "火锅底料注册商标被抢注纠纷",
        "申请人长期使用火锅底料品牌，被申请人抢先注册相同商标并向申请人的经销商发函，申请人主张在先权利。",
        "火锅底料 抢注 在先权利",
    ),
    (
        "copyright",
        "software",
        "办公软件盗版安装计算机软件著作权纠纷",
        "申请人发现被申请人公司内部计算机安装未经许可的办公软件共八十套，主张侵害计算机软件著作权。",
        "盗版 办公软件 计算机软件著作权",
    ),
    (
        "copyright",
        "media",
        "网络小说改编网络游戏改编权纠纷",
        "被申请人未经许可将申请人创作的网络小说改编为网络游戏，申请人主张侵害改编权。",
        "网络小说 改编权 网络游戏",
    ),
    (
        "trademark",
        "manufacturing",
        "驰名商标跨类保护挖掘机配件纠纷",
        "申请人的挖掘机商标被认定为驰名商标，被申请人在润滑油产品上使用相同标识，申请人请求跨类保护。",
        "驰名商标 挖掘机 润滑油",
    ),
    (
        "geographical_indication",
        "agriculture",
        "地理标志大米产地纠纷",
        "被申请人销售的大米包装标注地理标志名称，但大米并非产自该地理标志保护产品的产区。",
        "地理标志 大米 产区",
    ),
    (
        "plant_variety",
        "agriculture",
        "玉米植物新品种繁殖材料纠纷",
        "被申请人未经许可生产、销售申请人享有品种权的玉米杂交种繁殖材料。",
        "植物新品种 玉米 繁殖材料",
    ),
    (
        "patent",
        "manufacturing",
        "折叠自行车外观设计专利纠纷",
        "申请人享有折叠自行车外观设计专利，被申请人展会展出的自行车与其整体视觉效果无实质性差异。",
        "折叠自行车 外观设计 展会",
    ),
    (
        "unfair_competition",
        "software",
        "外卖平台刷单虚假宣传纠纷",
        "被申请人组织刷单虚构外卖店铺销量和好评，申请人作为同业经营者主张构成虚假宣传。",
        "刷单 外卖 虚假宣传",
    ),
    (
        "trade_secret",
        "software",
        "离职工程师带走源代码商业秘密纠纷",
        "申请人的前任工程师离职时拷贝推荐算法源代码，入职被申请人后使用，申请人主张违反竞业限制和保密义务。",
        "源代码 工程师 竞业限制",
    ),
    (
        "copyright",
        "media",
        "商场背景音乐表演权纠纷",
        "被申请人经营的商场未经许可播放申请人管理的背景音乐作品，申请人主张侵害表演权并要求支付使用费。",
        "背景音乐 商场 表演权",
    ),
    (
        "technology_contract",
        "electronics",
        "芯片设计技术开发合同纠纷",
        "双方签订芯片设计技术开发合同，被申请人交付的样片功耗指标未达约定，申请人要求退还开发费。",
        "技术开发合同 芯片 开发费",
    ),
    (
        "ic_layout",
        "electronics",
        "电源管理芯片集成电路布图设计纠纷",
        "申请人登记的电源管理芯片集成电路布图设计被被申请人复制，被申请人芯片的布图与其高度相同。",
        "集成电路布图设计 电源管理芯片",
    ),
    (
        "trademark",
        "retail",
        "电商平台店铺名称使用他人商标纠纷",
        "被申请人在电商平台开设的店铺名称含有申请人的注册商标文字，销售同类化妆品，申请人主张商标侵权。",
        "店铺名称 化妆品 商标侵权",
    ),
]


@dataclass
class Doc:
    kind: str
    industry: str
    outcome: str
    title: str
    facts: str
    dispute: str
    mediation: str
    result: str


INDUSTRIES = ["manufacturing", "electronics", "software", "media", "retail", "food", "pharma"]


def filler(rng: random.Random) -> Doc:
    product = rng.choice(PRODUCTS)
    kind = rng.choice(KINDS)
    settled = rng.random() < 0.7
    return Doc(
        kind,
        rng.choice(INDUSTRIES),
        "settled" if settled else "failed",
        f"{product}{rng.choice(['专利', '商标', '著作权', '不正当竞争'])}纠纷调解案",
        rng.choice(FILLER_FACTS).format(p=product),
        f"被申请人是否构成侵权，赔偿数额如何确定。{rng.choice(['涉及权利要求解释。', '涉及商标近似判断。', '涉及合理使用。', ''])}",
        rng.choice(FILLER_MEDIATION),
        f"被申请人赔偿{rng.randint(1, 80)}万元。" if settled else "调解不成，转入诉讼。",
    )


def search_corpus(n: int = 1000, seed: int = 19) -> tuple[list[Doc], list[tuple[str, int]]]:
    """`n` documents: the intended ones spread among fillers; and (query, index of its case)."""
    rng = random.Random(seed)
    docs = [filler(rng) for _ in range(n - len(INTENDED))]
    queries = []
    for kind, industry, title, facts, query in INTENDED:
        at = rng.randint(0, len(docs))
        docs.insert(
            at,
            Doc(
                kind,
                industry,
                "settled",
                title,
                facts,
                "双方争议在于是否构成侵权。",
                rng.choice(FILLER_MEDIATION),
                "双方达成调解协议。",
            ),
        )
        queries = [(q, i + 1 if i >= at else i) for q, i in queries]
        queries.append((query, at))
    return docs, queries
