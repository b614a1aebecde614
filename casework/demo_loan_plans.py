"""Business plans for the demo's small guaranteed loans: what the borrower will do, where, with
what money and what they expect to earn. Several plans per project kind, with their figures
drawn, so that no two applications read alike."""

from __future__ import annotations

import random

# project kind: weight (micro-profit kinds, 微利项目, are most of the applications, as in 2003)
KIND_WEIGHTS = {"household_handicraft": 5, "repair": 10, "catering": 14,
                "laundry_tailoring": 6, "copy_typing": 4, "hairdressing": 7, "kiosk": 10,
                "removals": 3, "domestic_service": 7, "care_services": 5, "retail_store": 9,
                "transport": 7, "processing": 5, "farming": 4, "trade": 4}

PLANS = {
    "household_handicraft": (
        "在家中开设草柳编加工点，收购本地柳条、玉米皮，编制果篮和储物筐交外贸公司收购；"
        "购原料和工具{tools}元，带动{helpers}名邻居计件加工，预计月收入{income}元。",
        "开办家庭手工绣品作坊，承接服装厂来料加工的十字绣和手工钉珠；"
        "添置绷架和灯具{tools}元，预计月加工费收入{income}元。"),
    "repair": (
        "在{place}租门面{area}平方米开家电维修部，修理电视机、洗衣机、电冰箱；"
        "购万用表、焊台和常用配件{tools}元，预计月营业额{turnover}元，纯收入约{income}元。",
        "在{place}路口设自行车、摩托车修理点，兼营配胎和打气；购工具和配件{tools}元，"
        "预计月收入{income}元。",
        "开办钟表、配钥匙和修鞋综合修理摊，进驻{place}便民服务点；置办设备{tools}元，"
        "预计月收入{income}元。"),
    "catering": (
        "在{place}租门面{area}平方米开早点铺，经营豆浆、油条、煎饼；"
        "购炉灶、桌凳和冰柜{tools}元，预计每天营业额{daily}元，月纯收入约{income}元。",
        "在{place}开设小饭桌，为附近中小学生提供午餐和晚托，每天约{helpers}0名学生；"
        "添置厨具和餐桌{tools}元，预计月收入{income}元。",
        "开办海鲜排档，租用{place}临街门面{area}平方米，经营本地海产小炒；"
        "装修和厨房设备{tools}元，预计月纯收入{income}元。"),
    "laundry_tailoring": (
        "在{place}开缝纫铺，承接改衣、缝补、订做窗帘；购缝纫机和锁边机{tools}元，"
        "预计月收入{income}元。",
        "开办干洗店，租门面{area}平方米，购干洗机和熨烫设备{tools}元，"
        "与附近宾馆签订洗涤协议，预计月营业额{turnover}元。"),
    "copy_typing": (
        "在{place}学校附近开打字复印部，购复印机、电脑和打印机{tools}元，"
        "承接试卷、材料打印和名片制作，预计月收入{income}元。",),
    "hairdressing": (
        "在{place}租门面{area}平方米开理发店，本人有{years}年理发经验；"
        "购理发椅、吹风机和热水器{tools}元，预计月收入{income}元。",
        "开办社区美容美发室，聘用{helpers}名下岗姐妹，添置设备和装修{tools}元，"
        "预计月营业额{turnover}元。"),
    "kiosk": (
        "在{place}开小卖部，经营日用杂货、烟酒和饮料；进货和货架{tools}元，"
        "预计月营业额{turnover}元，毛利约{income}元。",
        "在小区门口设便民报刊亭，兼售饮料、公交卡充值；亭体和首批进货{tools}元，"
        "预计月收入{income}元。"),
    "removals": (
        "购置二手轻型厢式货车一辆，与{helpers}名同伴组成搬家服务队，承接居民搬家和"
        "小件运输；购车和工具{tools}元，预计月收入{income}元。",),
    "domestic_service": (
        "组织{helpers}名下岗姐妹成立家政服务部，承接钟点工、家庭保洁和擦玻璃；"
        "购清洁设备和制服{tools}元，预计月收入{income}元。",),
    "care_services": (
        "在{place}开办托老所，照料白天无人照看的老人{helpers}名，提供午餐和午休；"
        "添置床铺和厨具{tools}元，预计月收入{income}元。",
        "开办幼儿看护点，接送和看护附近双职工家庭幼儿{helpers}名；"
        "场地整修和玩具教具{tools}元，预计月收入{income}元。",
        "承接医院和家庭病人陪护，组织{helpers}名护工；培训和用品{tools}元，"
        "预计月收入{income}元。"),
    "retail_store": (
        "在{place}租门面{area}平方米开日杂百货店；装修、货架和首批进货{tools}元，"
        "预计月营业额{turnover}元，纯收入约{income}元。",
        "开办建材五金商店，经营水暖管件和小五金；首批进货{tools}元，"
        "预计月营业额{turnover}元。"),
    "transport": (
        "购置三轮货运车，为{place}农贸市场商户送货；购车{tools}元，"
        "预计月收入{income}元。",
        "购置二手面包车一辆从事城乡客运短途接送，已联系挂靠运输公司；"
        "购车和手续{tools}元，预计月纯收入{income}元。"),
    "processing": (
        "开办海产品加工作坊，收购虾皮、紫菜晾晒分装，供应超市和批发市场；"
        "租场地和购设备{tools}元，雇用{helpers}人，预计月纯收入{income}元。",
        "开办豆制品加工坊，生产豆腐、干张，供应{place}周边饭店；"
        "购磨浆机和压榨设备{tools}元，预计月纯收入{income}元。"),
    "farming": (
        "在城郊承包鱼塘{helpers}亩养殖南美白对虾；购虾苗、饲料和增氧机{tools}元，"
        "预计年纯收入{yearly}元。",
        "租用大棚{helpers}个种植反季节蔬菜，供应{place}菜市场；"
        "购种苗、农膜和化肥{tools}元，预计年纯收入{yearly}元。"),
    "trade": (
        "从赣榆、连云港港口批发冻海产品，贩运到徐州、临沂市场销售；"
        "流动资金和冷藏箱{tools}元，预计月纯收入{income}元。",),
}


def project_kind(rng: random.Random) -> str:
    return rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]


def business_plan(rng: random.Random, kind: str, amount: int, place: str) -> str:
    """One plan of ``kind`` for a loan of ``amount`` yuan, set in ``place``, figures drawn."""
    tools = int(round(amount * rng.uniform(0.5, 0.9), -2))
    income = int(round(rng.uniform(500, 1300), -1))
    return rng.choice(PLANS[kind]).format(
        place=place, tools=tools, income=income, turnover=income * rng.randint(3, 6),
        daily=int(round(income / 30 * rng.uniform(2.5, 4), -1)), area=rng.randint(12, 40),
        helpers=rng.randint(2, 6), years=rng.randint(5, 20), yearly=income * 12)
