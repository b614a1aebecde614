"""The demo's streets and communities: real 2003 streets (街道) and towns (镇) under their real
district or county of Lianyungang, with community names that read as such places are named.

The streets and towns are real; the communities under them are invented but ordinary (named for
a road, a gate of the old town, a quarter), so no demo record points at a real neighbourhood.
Districts have streets (街道) with communities (社区); counties have towns (镇) at the street
level, each with the town's own 社区 and residents' committees (居委会). English names are pinyin.
"""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    name_zh: str
    name_en: str


class Street(NamedTuple):
    place: Place
    communities: tuple[Place, ...]


def _places(pairs: str) -> tuple[Place, ...]:
    """``"海棠社区 Haitang Community; ..."`` as Places (Chinese name, then the English)."""
    out = []
    for pair in pairs.split(";"):
        zh, en = pair.strip().split(" ", 1)
        out.append(Place(zh, en))
    return tuple(out)


def _street(name: str, communities: str) -> Street:
    return Street(_places(name)[0], _places(communities))


# Three streets or towns for each of the 2003 districts and counties (data/divisions.csv).
STREETS: dict[str, tuple[Street, ...]] = {
    "320703": (  # 连云区
        _street("墟沟街道 Xugou Street", "海棠社区 Haitang Community; 中山路社区 Zhongshan Road "
                "Community; 西山社区 Xishan Community; 东山社区 Dongshan Community"),
        _street("连云街道 Lianyun Street", "港口社区 Gangkou Community; 海滨社区 Haibin "
                "Community; 平山社区 Pingshan Community; 建设社区 Jianshe Community"),
        _street("云山街道 Yunshan Street", "云台社区 Yuntai Community; 新城社区 Xincheng "
                "Community; 前进社区 Qianjin Community; 花园社区 Huayuan Community"),
    ),
    "320705": (  # 新浦区
        _street("新浦街道 Xinpu Street", "解放路社区 Jiefang Road Community; 民主路社区 Minzhu "
                "Road Community; 人民路社区 Renmin Road Community; 建国路社区 Jianguo Road "
                "Community"),
        _street("浦东街道 Pudong Street", "通灌路社区 Tongguan Road Community; 海连路社区 "
                "Hailian Road Community; 朝阳社区 Chaoyang Community; 红旗社区 Hongqi Community"),
        _street("浦西街道 Puxi Street", "新华社区 Xinhua Community; 文化社区 Wenhua Community; "
                "团结社区 Tuanjie Community; 盐河社区 Yanhe Community"),
    ),
    "320706": (  # 海州区
        _street("海州街道 Haizhou Street", "鼓楼社区 Gulou Community; 白虎山社区 Baihushan "
                "Community; 西门社区 Ximen Community; 南门社区 Nanmen Community"),
        _street("幸福路街道 Xingfu Road Street", "幸福社区 Xingfu Community; 学院社区 Xueyuan "
                "Community; 和平社区 Heping Community; 长安社区 Chang'an Community"),
        _street("朐阳街道 Quyang Street", "朐阳社区 Quyang Community; 郁洲社区 Yuzhou Community; "
                "东城社区 Dongcheng Community; 工农社区 Gongnong Community"),
    ),
    "320721": (  # 赣榆县
        _street("青口镇 Qingkou Town", "黄海社区 Huanghai Community; 城南社区 Chengnan "
                "Community; 城北社区 Chengbei Community; 青口河社区 Qingkouhe Community"),
        _street("城头镇 Chengtou Town", "城头社区 Chengtou Community; 东街居委会 Dongjie "
                "Residents' Committee; 西街居委会 Xijie Residents' Committee; 新街居委会 Xinjie "
                "Residents' Committee"),
        _street("墩尚镇 Dunshang Town", "墩尚社区 Dunshang Community; 镇中居委会 Zhenzhong "
                "Residents' Committee; 兴业居委会 Xingye Residents' Committee; 友谊居委会 Youyi "
                "Residents' Committee"),
    ),
    "320722": (  # 东海县
        _street("牛山镇 Niushan Town", "东关社区 Dongguan Community; 西关社区 Xiguan Community; "
                "南关社区 Nanguan Community; 北关社区 Beiguan Community"),
        _street("白塔埠镇 Baitabu Town", "白塔社区 Baita Community; 车站居委会 Chezhan "
                "Residents' Committee; 振兴居委会 Zhenxing Residents' Committee; 新兴居委会 "
                "Xinxing Residents' Committee"),
        _street("石榴镇 Shiliu Town", "石榴社区 Shiliu Community; 桥东居委会 Qiaodong "
                "Residents' Committee; 桥西居委会 Qiaoxi Residents' Committee; 南湖居委会 Nanhu "
                "Residents' Committee"),
    ),
    "320723": (  # 灌云县
        _street("伊山镇 Yishan Town", "东园社区 Dongyuan Community; 西园社区 Xiyuan Community; "
                "古城社区 Gucheng Community; 胜利社区 Shengli Community"),
        _street("杨集镇 Yangji Town", "杨集社区 Yangji Community; 中街居委会 Zhongjie "
                "Residents' Committee; 河东居委会 Hedong Residents' Committee; 河西居委会 Hexi "
                "Residents' Committee"),
        _street("燕尾港镇 Yanweigang Town", "燕尾社区 Yanwei Community; 渔港居委会 Yugang "
                "Residents' Committee; 灌河居委会 Guanhe Residents' Committee; 新港居委会 "
                "Xingang Residents' Committee"),
    ),
    "320724": (  # 灌南县
        _street("新安镇 Xin'an Town", "新安社区 Xin'an Community; 城东社区 Chengdong Community; "
                "城西社区 Chengxi Community; 育才社区 Yucai Community"),
        _street("堆沟港镇 Duigougang Town", "堆沟社区 Duigou Community; 东港居委会 Donggang "
                "Residents' Committee; 西港居委会 Xigang Residents' Committee; 南街居委会 "
                "Nanjie Residents' Committee"),
        _street("田楼镇 Tianlou Town", "田楼社区 Tianlou Community; 建新居委会 Jianxin "
                "Residents' Committee; 利民居委会 Limin Residents' Committee; 兴华居委会 Xinghua "
                "Residents' Committee"),
    ),
}
