"""Word lists: Chinese surnames, provinces, ethnic groups, religions, health terms, name cues.

Plain data, no imports: the column classifier, the text detector and the
recognizers share them.
"""

from __future__ import annotations

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕"
)
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
     "夏侯", "司徒", "端木", "独孤", "南宫", "西门", "百里", "呼延"]
)  # fmt: skip

PROVINCES_ZH = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip

ETHNICITIES_ZH = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip
ETHNICITY_VALUES = frozenset(
    [f"{e}族" for e in ETHNICITIES_ZH]
    + ["han", "hui", "uyghur", "uighur", "tibetan", "mongol", "mongolian", "zhuang", "manchu",
       "miao", "yi", "korean", "kazakh", "dai", "hispanic", "latino", "white", "black",
       "caucasian", "african american", "asian", "asian american", "native american",
       "pacific islander", "mixed", "other"]
)  # fmt: skip

RELIGION_VALUES = frozenset(
    ["佛教", "道教", "伊斯兰教", "基督教", "天主教", "东正教", "新教", "无", "无宗教", "无宗教信仰",
     "buddhism", "buddhist", "taoism", "taoist", "islam", "muslim", "christianity", "christian",
     "catholic", "catholicism", "protestant", "orthodox", "judaism", "jewish", "hindu", "hinduism",
     "sikh", "atheist", "agnostic", "none", "no religion"]
)  # fmt: skip

HEALTH_VALUES = frozenset(
    ["高血压", "糖尿病", "心脏病", "冠心病", "哮喘", "癌症", "肺癌", "乳腺癌", "抑郁症", "焦虑症",
     "乙肝", "艾滋病", "hiv", "过敏", "怀孕", "妊娠", "残疾", "健康", "良好", "慢性病", "脑卒中",
     "hypertension", "diabetes", "asthma", "cancer", "depression", "anxiety", "pregnant",
     "allergy", "allergies", "heart disease", "disabled", "healthy", "copd", "stroke", "hepatitis b"]
)  # fmt: skip

# Words after which a Chinese name usually follows (the cheap pass before jieba).
ZH_NAME_CUES = (
    "我是", "我叫", "本人", "客户", "顾客", "用户", "姓名", "联系人", "收件人", "持卡人", "收货人",
    "投诉人", "先生", "女士", "小姐", "经理", "师傅", "名叫", "联系", "销售", "客服", "同事",
    "负责人", "业务员", "司机", "快递员", "收件", "转告", "老师", "医生", "患者", "学生", "员工",
)  # fmt: skip
EN_NAME_CUES = ("my name is", "i am", "i'm", "this is", "name:", "customer", "mr.", "mrs.", "ms.",
                "dr.", "mr ", "mrs ", "ms ", "contact")  # fmt: skip

# jieba tags words like 银行卡 or district names as person names; drop those.
JIEBA_NAME_STOP = frozenset(
    ["银行卡", "客服", "客户", "先生", "女士", "小姐", "师傅", "经理", "谢谢", "高兴", "明天",
     "时间", "金额", "安全", "文件", "方便", "成功", "万一", "和平", "常用", "向日葵", "毕业",
     "温度", "华为", "宁愿", "管理", "车辆", "付款", "包裹", "包装", "乐意", "路过", "江湖",
     "黄金", "白色", "蓝色", "柯基", "金色", "时候", "程序", "方法", "曾经", "于是", "何时",
     "安排", "安装", "安心", "解决", "关于", "关注", "应该", "许多", "包括", "温馨", "常见",
     "尽快", "康复", "明白", "明确", "鲁莽", "原因", "谷歌", "商品", "商家", "严重", "齐全"]
)  # fmt: skip
