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

# Prefecture-level cities (and Taiwan's largest), for addresses written without a road number.
CITIES_ZH = tuple(
    """石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州
    晋中 运城 忻州 临汾 吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 沈阳 大连 鞍山 抚顺
    本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 吉林 四平 辽源 通化 白山 松原 白城
    哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州
    苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山
    台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
    福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春
    抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
    郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
    武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 长沙 株洲 湘潭 衡阳 邵阳 岳阳
    常德 张家界 益阳 郴州 永州 怀化 娄底 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州
    梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港
    玉林 百色 贺州 河池 来宾 崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江
    乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖 玉溪
    保山 昭通 丽江 普洱 临沧 拉萨 日喀则 西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州
    嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 海东 银川 石嘴山 吴忠 固原 中卫
    乌鲁木齐 克拉玛依 吐鲁番 哈密 喀什 伊宁 台北 新北 桃园 台中 台南 高雄 基隆 新竹""".split()
)

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

# Words after which a Chinese name usually follows.
ZH_NAME_CUES = (
    "我是", "我叫", "本人", "客户", "顾客", "用户", "姓名", "联系人", "收件人", "持卡人", "收货人",
    "投诉人", "先生", "女士", "小姐", "经理", "师傅", "名叫", "联系", "销售", "客服", "同事",
    "负责人", "业务员", "司机", "快递员", "收件", "转告", "老师", "医生", "患者", "学生", "员工",
    "转交", "交给", "告诉", "通知", "麻烦", "找", "寄件人", "发件人", "经办人", "对接人", "签收人",
    "下单人", "联络人", "店长", "主管", "售后", "前台", "保安", "门卫", "物业", "助理", "秘书",
    "财务", "会计", "房东", "租客", "家属", "朋友", "工程师", "维修工", "安装工", "技术员",
)  # fmt: skip
EN_NAME_CUES = ("my name is", "i am", "i'm", "this is", "name:", "customer", "mr.", "mrs.", "ms.",
                "dr.", "mr ", "mrs ", "ms ", "contact")  # fmt: skip

# 小/老 + a surname character that is an ordinary word, not 小李/老张 (jieba's dictionary
# tags 小张 and 小米 alike, so its tags cannot decide).
FAMILIAR_STOP = frozenset(
    ["小时", "老师", "小麦", "小于", "小康", "小孔", "小路", "小米", "小牛", "小车", "小农", "小包",
     "小费", "小曲", "小钱", "小童", "小房", "小商", "小金", "小班", "小熊", "小解", "小池", "小史",
     "小叶", "小宗", "小项", "小苗", "小单", "小白", "小景", "小宫", "老牛", "老成", "老农", "老路",
     "老边", "老包", "老房", "老汤", "老姜", "老官", "老景", "老麦", "老是", "老年"]
)  # fmt: skip

# Ordinary words that start with a surname character and jieba's dictionary does not
# settle (tagged as names, or missing): never a name.
JIEBA_NAME_STOP = frozenset(
    ["银行卡", "客服", "客户", "先生", "女士", "小姐", "师傅", "经理", "谢谢", "高兴", "明天",
     "时间", "金额", "安全", "文件", "方便", "成功", "万一", "和平", "常用", "向日葵", "毕业",
     "温度", "华为", "宁愿", "管理", "车辆", "付款", "包裹", "包装", "乐意", "路过", "江湖",
     "黄金", "白色", "蓝色", "柯基", "金色", "时候", "程序", "方法", "曾经", "于是", "何时",
     "安排", "安装", "安心", "解决", "关于", "关注", "应该", "许多", "包括", "温馨", "常见",
     "尽快", "康复", "明白", "明确", "鲁莽", "原因", "谷歌", "商品", "商家", "严重", "齐全",
     # dictionary words jieba tags as names that are ordinary words in a ticket
     "张开", "毛巾", "祝福", "金山", "林木", "宋体", "周密", "周全", "周到", "明智", "张贴", "高薪",
     "查明", "查清", "陈设", "陈旧", "马虎", "安然", "安康", "荣幸", "方正", "和善", "齐备", "许诺",
     "胡闹", "高超", "高雅", "明朗", "白银", "温馨", "叶子", "孙子", "贺卡", "汤圆", "荣耀", "戴尔",
     "惠普", "高通", "龙虾", "李子", "柯达", "包邮", "包退", "包换", "包装", "黄牛", "熊猫", "安逸", "麻烦", "管家"]
)  # fmt: skip
