"""Chinese names and addresses in free text, as people type them: found, and not invented.

Positives: names with and without cue words, compound surnames, minority names
with ``·``, honorifics, names before a phone number or ``收``; addresses without
a road number, with spaces before the number. Negatives: ordinary words that
start with a surname character (``王国``, ``高兴``, ``周末`` …), place, company and
product names, and short ticket phrases. Each row: a text and the PERSON and
LOCATION values it holds (other entities are another test's business).
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from govkit.detect.spans import find_spans
from govkit.detect.text import needs_span_scan

NAME, LOC = "PERSON", "LOCATION"
Case = tuple[str, list[tuple[str, str]]]

NAMES: list[Case] = [
    # no cue word before the name
    ("联系销售李娜", [("李娜", NAME)]),
    ("快递放门卫，赵敏收", [("赵敏", NAME)]),
    ("放门卫赵敏收", [("赵敏", NAME)]),
    ("麻烦转交王芳收，谢谢", [("王芳", NAME)]),
    ("李娜 13812345678", [("李娜", NAME)]),
    ("王小明 13900001111 下午在家", [("王小明", NAME)]),
    ("有事找孙悦，13912345678", [("孙悦", NAME)]),
    ("李娜的快递到了吗", [("李娜", NAME)]),
    ("张伟说快递没到", [("张伟", NAME)]),
    ("你好，刘洋的包裹", [("刘洋", NAME)]),
    # after a cue word
    ("我是张伟，上周买的冰箱坏了", [("张伟", NAME)]),
    ("我叫刘洋", [("刘洋", NAME)]),
    ("本人陈静，身份证丢了", [("陈静", NAME)]),
    ("客户李娜来电投诉", [("李娜", NAME)]),
    ("客户王建国明天来取件", [("王建国", NAME)]),
    ("客户张伟反映冰箱不制冷", [("张伟", NAME)]),
    ("收件人：黄晓明", [("黄晓明", NAME)]),
    ("联系人 周杰", [("周杰", NAME)]),
    ("负责人张三丰已到场", [("张三丰", NAME)]),
    ("已转告同事郭佳怡处理", [("郭佳怡", NAME)]),
    ("麻烦通知王芳明天来取", [("王芳", NAME)]),
    ("有事找张伟", [("张伟", NAME)]),
    ("寄件人：刘强", [("刘强", NAME)]),
    ("店长李明说可以退", [("李明", NAME)]),
    # compound surnames
    ("欧阳娜娜来电", [("欧阳娜娜", NAME)]),
    ("上官婉儿的订单", [("上官婉儿", NAME)]),
    ("司马懿下单了三台电视", [("司马懿", NAME)]),
    ("诸葛亮先生的退款", [("诸葛亮", NAME)]),
    ("请慕容雪经理回电", [("慕容雪", NAME)]),
    ("端木蓉女士投诉物流慢", [("端木蓉", NAME)]),
    # minority names with a middle dot
    ("买买提·吐尔逊的包裹到了", [("买买提·吐尔逊", NAME)]),
    ("热依拉·买买提收", [("热依拉·买买提", NAME)]),
    ("联系阿卜杜拉·艾尼瓦尔", [("阿卜杜拉·艾尼瓦尔", NAME)]),
    # honorifics
    ("王先生您好", [("王", NAME)]),
    ("请李女士回电", [("李", NAME)]),
    ("张伟经理您好", [("张伟", NAME)]),
    ("陈师傅下午上门", [("陈", NAME)]),
    ("刘老师的快递", [("刘", NAME)]),
    ("我和李娜经理联系过了", [("李娜", NAME)]),
    # two names joined by 和/与/、 with no cue word
    ("周杰和孙丽明天一起来", [("周杰", NAME), ("孙丽", NAME)]),
    ("合同请交给郑强、何雪签字", [("郑强", NAME), ("何雪", NAME)]),
    ("吴磊与林芳已经签字", [("吴磊", NAME), ("林芳", NAME)]),
    ("值班表：冯涛、唐敏、袁野", [("冯涛", NAME), ("唐敏", NAME), ("袁野", NAME)]),
    # a role word, then the name, then 收
    ("快递交给保安刘刚收", [("刘刚", NAME)]),
    ("放在前台孙丽收就行", [("孙丽", NAME)]),
    ("有问题联系售后吴磊", [("吴磊", NAME)]),
    # familiar forms: 小/老 + surname, surname + 总
    ("王总下午到公司", [("王", NAME)]),
    ("刘总说合同没问题", [("刘", NAME)]),
    ("小刘在吗", [("小刘", NAME)]),
    ("老陈已经下班了", [("老陈", NAME)]),
    ("明天让小黄去送货", [("小黄", NAME)]),
    # a · name ends where the sentence goes on
    ("古丽·阿不都今天休假", [("古丽·阿不都", NAME)]),
    ("艾合买提·库尔班明天到", [("艾合买提·库尔班", NAME)]),
    # after a word that takes a person (和, 跟, 找, 陪, 让 …), no cue word
    ("今天和李娜通了电话", [("李娜", NAME)]),
    ("昨天和孙丽吃饭", [("孙丽", NAME)]),
    ("明天跟周杰说一下", [("周杰", NAME)]),
    ("下午去找郑强", [("郑强", NAME)]),
    ("请陪罗敏去医院", [("罗敏", NAME)]),
    ("让唐敏明天来", [("唐敏", NAME)]),
]

NOT_NAMES: list[Case] = [
    # ordinary words starting with a surname character
    ("王国的服务太差了", []),
    ("今天很高兴，问题解决了", []),
    ("周末能送货吗？", []),
    ("黄金会员积分没到账", []),
    ("客户高兴地说谢谢", []),
    ("用户方便的时候回电", []),
    ("常用地址已更新", []),
    ("白天家里没人", []),
    ("金额不对，请核实", []),
    ("张开包装发现破损", []),
    ("联系方式已更新", []),
    ("客户关系管理系统升级", []),
    ("用户体验很差", []),
    ("马上收到了，谢谢", []),
    ("周末，", []),
    ("方便。", []),
    ("方便的时候回电", []),
    ("黄金的价格涨了", []),
    ("白天的时候", []),
    ("找不到订单", []),
    ("找高手帮忙", []),
    ("找回密码", []),
    ("麻烦尽快处理", []),
    ("通知已发送", []),
    ("主管说明天处理", []),
    ("店长推荐", []),
    # titles and receipts that are not names
    ("项目经理说下周上线", []),
    ("班主任通知开家长会", []),
    ("请查收发票", []),
    ("包裹已签收", []),
    ("司机师傅很热情", []),
    ("客服小姐姐很耐心，点赞！", []),
    ("同事说明天发货", []),
    # places, companies, products
    ("在成都出差，下周回来", []),
    ("去了趟黄山，很累", []),
    ("华为客服电话打不通", []),
    ("京东快递员说明天到", []),
    ("苏宁易购退款还没到", []),
    ("包邮，", []),
    # joined words that are not names
    ("黄金和白银都涨了", []),
    ("高兴和难过都写在脸上", []),
    ("周一和周二不发货", []),
    ("安全与方便同样重要", []),
    ("石头、剪刀、布", []),
    ("江湖与武林", []),
    ("林业和农业补贴", []),
    # 小/老/总 words that are not familiar names
    ("本周总结已提交", []),
    ("上周总共退了三单", []),
    ("公司总部在上海", []),
    ("小时候住在乡下", []),
    ("养老院的床位", []),
    ("小龙虾不新鲜", []),
    ("小米手机屏幕碎了", []),
    ("小程序打不开", []),
    ("老板在吗", []),
    ("小区门口放着", []),
    ("老师好", []),
    ("从小就喜欢", []),
    ("路由器坏了，钱包也丢了", []),
    # after 和/跟/给/请 …: words, not names
    ("请于明天上午处理", []),
    ("我们和高手过招", []),
    ("先给钱包充值", []),
    ("跟单员说明天发货", []),
    ("总和不对", []),
    ("怎么问路由器的事", []),
    ("请马上处理", []),
    ("这个给金额打折", []),
    ("我去找文件", []),
    ("要给李子浇水", []),
    ("请高抬贵手", []),
    ("请于下周", []),
    ("请常联系", []),
    ("请向客服反映", []),
    ("请安装师傅上门", []),
    ("我们和时间赛跑", []),
    ("请严格执行", []),
    ("这和温度有关", []),
    ("让石头滚下来", []),
]

ADDRESSES: list[Case] = [
    ("送到北京市朝阳区国贸大厦", [("北京市朝阳区国贸大厦", LOC)]),
    ("成都市高新区天府软件园D区", [("成都市高新区天府软件园D区", LOC)]),
    ("住北京市朝阳区建国路 88 号", [("北京市朝阳区建国路 88 号", LOC)]),
    ("公司在深圳南山区科技园", [("深圳南山区科技园", LOC)]),
    ("寄到上海市浦东新区陆家嘴环路1000号", [("上海市浦东新区陆家嘴环路1000号", LOC)]),
    ("杭州市西湖区文三路 90 号 3 号楼 501 室", [("杭州市西湖区文三路 90 号 3 号楼 501 室", LOC)]),
    ("地址：广东省广州市天河区体育西路 191 号", [("广东省广州市天河区体育西路 191 号", LOC)]),
    ("朝阳区国贸大厦B座", [("朝阳区国贸大厦B座", LOC)]),
    # city + district + a place name with no listed suffix, or a road with no number
    ("寄到杭州市西湖区西溪湿地", [("杭州市西湖区西溪湿地", LOC)]),
    ("我在武汉市洪山区光谷步行街", [("武汉市洪山区光谷步行街", LOC)]),
    ("南京市鼓楼区湖南路", [("南京市鼓楼区湖南路", LOC)]),
    ("西安市雁塔区小寨东路三段", [("西安市雁塔区小寨东路三段", LOC)]),
    ("住址：山西省太原市小店区长治路", [("山西省太原市小店区长治路", LOC)]),
    # spaces around the number
    ("地址：南京市玄武区中山路 18 号", [("南京市玄武区中山路 18 号", LOC)]),
    # after an address cue, up to the next punctuation (fail closed)
    ("收货地址：阳光花园3栋2单元", [("阳光花园3栋2单元", LOC)]),
    ("寄到：海淀区中关村大街27号，谢谢", [("海淀区中关村大街27号", LOC)]),
    ("送到幸福里小区东门", [("幸福里小区东门", LOC)]),
    ("寄往北京市国贸大厦", [("北京市国贸大厦", LOC)]),
    ("我住在北京市朝阳区，离公司近", [("北京市朝阳区", LOC)]),
    ("北京市朝阳区的天气", [("北京市朝阳区", LOC)]),
    ("老家是湖南省邵阳县的", [("湖南省邵阳县", LOC)]),
]

NOT_ADDRESSES: list[Case] = [
    ("北京欢迎你", []),
    ("北京市中心太堵了", []),
    ("白银首饰中心打折", []),
    ("去超市的购物中心", []),
    ("上海的天气不错", []),
    ("深圳分公司的发票", []),
    ("广州塔很高", []),
    ("已经送到了小区门口", []),
    ("地址已更新", []),
    ("常用地址已更新为新的", []),
    ("送到楼下就行", []),
    ("寄到公司前台", []),
    ("上海市区很堵", []),
    ("想改一下收货地址因为搬到上海了", []),
    ("上海全部地区都能送", []),
    ("北京社区团购", []),
    ("上海市区的地铁区域很大", []),
]

CASES = NAMES + NOT_NAMES + ADDRESSES + NOT_ADDRESSES


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.entity) for s in find_spans(text) if s.entity in (NAME, LOC)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_zh_case(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_recall_and_false_positives(capsys: pytest.CaptureFixture[str]) -> None:
    """Recall over the positives, texts with a false span over all texts (docs/scan.md)."""
    assert len(NAMES) >= 30 and len(NOT_NAMES) >= 25
    assert len(ADDRESSES) >= 8 and len(NOT_ADDRESSES) >= 5
    lines = [
        "| entity | spans | recall | texts | texts with a false span |",
        "|---|---:|---:|---:|---:|",
    ]
    tables = ((NAME, NAMES, NOT_NAMES), (LOC, ADDRESSES, NOT_ADDRESSES))
    for entity, positives, negatives in tables:
        texts = positives + negatives
        spans = sum(len(expected) for _, expected in positives)
        hits = sum(len(set(_found(text)) & set(expected)) for text, expected in positives)
        false = sum(
            any(e == entity for _, e in set(_found(text)) - set(expected))
            for text, expected in texts
        )
        lines.append(f"| {entity} | {spans} | {hits / spans:.2f} | {len(texts)} | {false} |")
        assert hits / spans >= 0.9, entity
        assert false <= 0.02 * len(texts), entity
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_prefilter_passes_every_text_with_a_span() -> None:
    """The vectorised pre-filter never skips one of these texts that holds a span."""
    texts = [text for text, expected in CASES if expected]
    mask = needs_span_scan(pa.array(texts, pa.string())).to_pylist()
    assert [t for t, keep in zip(texts, mask, strict=True) if not keep] == []
