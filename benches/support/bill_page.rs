//! A wire-shaped `DescribeBillDetail` answer page, generated deterministically.
//!
//! Every row follows the documented example answer (field names, nesting, string forms of
//! amounts and times, Chinese display names), varied per row so that no two rows are alike:
//! 1 to 3 components, each with 3 to 5 config pairs, 0 to 3 tags, 0 to 3 price-info lines.

use std::fmt::Write;

const PRODUCTS: [(&str, &str, &str, &str); 4] = [
    ("p_cvm", "云服务器CVM", "sp_cvm_s2", "云服务器CVM-标准型S2"),
    ("p_cbs", "云硬盘", "sp_cbs_premium", "云硬盘-高性能云硬盘"),
    ("p_cdn", "内容分发网络", "sp_cdn_flux", "内容分发网络-流量"),
    ("p_cos", "对象存储", "sp_cos_standard", "对象存储-标准存储"),
];
const REGIONS: [(&str, &str, &str); 3] = [
    ("1", "华南地区（广州）", "广州二区"),
    ("4", "华东地区（上海）", "上海二区"),
    ("8", "华北地区（北京）", "北京三区"),
];

/// A full JSON answer with `rows` rows, as the server sends it (compact, UTF-8).
pub fn page(rows: usize) -> Vec<u8> {
    let mut s = String::with_capacity(rows * 2600 + 200);
    s.push_str(r#"{"Response":{"DetailSet":["#);
    for i in 0..rows {
        if i > 0 {
            s.push(',');
        }
        row(&mut s, i);
    }
    write!(
        s,
        r#"],"Total":{},"Context":"m7u3i6W6Xt6VmK1NGvNzCXEBwkmoH/Y3ROhw2ICs3RkxMDTe6z/M5dFHpIoeEc+MOBKEhnly44tsqyRJRRL0ZNpmtARd8SDzLfknCLcJtVkf6NJGoV8FXlYLQxABqcSt","RequestId":"ca7573cb-473d-40f3-8c58-7be43ae60195"}}}}"#,
        rows * 7 + 3
    )
    .unwrap();
    s.into_bytes()
}

fn amount(seed: usize, scale: usize) -> String {
    let cents = (seed * 7919 + 13) % (scale * 100);
    let frac = (seed * 104_729) % 1_000_000;
    let sign = if seed.is_multiple_of(17) { "-" } else { "" };
    format!("{sign}{}.{:02}{:06}", cents / 100, cents % 100, frac)
}

fn row(s: &mut String, i: usize) {
    let (biz, biz_name, prod, prod_name) = PRODUCTS[i % PRODUCTS.len()];
    let (region_id, region, zone) = REGIONS[i % REGIONS.len()];
    let day = 1 + i % 28;
    let hour = i % 24;
    let order = 20_261_001_400_000_442_656_611u128 + i as u128 * 977;
    let resource = format!("ins-{:08x}", 0x9e37_79b9u32.wrapping_mul(i as u32 + 1));
    write!(
        s,
        r#"{{"BusinessCodeName":"{biz_name}","ProductCodeName":"{prod_name}","PayModeName":"{}","ProjectName":"project_{}","RegionName":"{region}","ZoneName":"{zone}","ResourceId":"{resource}","ResourceName":"{resource}","ActionTypeName":"{}","OrderId":"{order}","BillId":"{}","PayTime":"2026-10-{day:02} {hour:02}:14:18","FeeBeginTime":"2026-10-{day:02} {hour:02}:00:00","FeeEndTime":"2026-10-{day:02} {hour:02}:59:59","ComponentSet":["#,
        if i.is_multiple_of(3) { "包年包月" } else { "按量计费" },
        i % 11,
        if i.is_multiple_of(3) { "包年包月转按量" } else { "按量计费小时结" },
        order + 450,
    )
    .unwrap();
    for c in 0..1 + i % 3 {
        if c > 0 {
            s.push(',');
        }
        component(s, i * 3 + c, &resource, zone);
    }
    s.push_str(r#"],"PayerUin":"909619400","OwnerUin":"909619400","OperateUin":"909619400","Tags":["#);
    for t in 0..i % 4 {
        if t > 0 {
            s.push(',');
        }
        write!(s, r#"{{"TagKey":"team{t}","TagValue":"value-{}"}}"#, (i + t) % 13).unwrap();
    }
    write!(
        s,
        r#"],"BusinessCode":"{biz}","ProductCode":"{prod}","ActionType":"{}","RegionId":"{region_id}","ProjectId":{},"PriceInfo":["#,
        if i.is_multiple_of(3) { "pre_to_post" } else { "postpay_deduct_h" },
        1_002_227 + i % 11,
    )
    .unwrap();
    for p in 0..i % 4 {
        if p > 0 {
            s.push(',');
        }
        write!(s, r#""价格属性{p}: 不分阶梯""#).unwrap();
    }
    write!(
        s,
        r#"],"AssociatedOrder":{{"PrepayPurchase":"{order}","PrepayRenew":"{},{}","PrepayModifyUp":null,"ReverseOrder":null,"NewOrder":null,"Original":null}},"Formula":"{}","FormulaUrl":"https://buy.cloud.tencent.com/price/cvm","BillDay":"2026-10-{day:02} 00:00:00","BillMonth":"2026-10-01 00:00:00","Id":"{}","RegionType":"0","RegionTypeName":"中国内地","ReserveDetail":"","DiscountObject":"","DiscountType":"","DiscountContent":"","ExtendField":""}}"#,
        order + 39_240,
        order + 51_960,
        if i.is_multiple_of(5) { "退款：343.12元，现金券： 0元,代金券/折扣券不退（订单号20231007400000442656611：部件cvm:现金支付88.81元-已使用第一阶梯按量:0.02元=剩余88.79元;）" } else { "" },
        1_725_547_686_519_644_160u64 + i as u64,
    )
    .unwrap();
}

fn component(s: &mut String, k: usize, resource: &str, zone: &str) {
    let cost = amount(k, 120);
    let cash = amount(k + 1, 100);
    write!(
        s,
        r#"{{"ComponentCodeName":"运算组件","ItemCodeName":"运算组件-标准型S2-{}核{}G","SinglePrice":"{}","SpecifiedPrice":"{}","PriceUnit":"元/个/小时","UsedAmount":"{}","UsedAmountUnit":"个","RealTotalMeasure":"{}","DeductedMeasure":"{}","TimeSpan":"1","TimeUnitName":"小时","Cost":"{cost}","Discount":"1","ReduceType":"折扣","RealCost":"{cost}","VoucherPayAmount":"0","CashPayAmount":"{cash}","IncentivePayAmount":"{}","TransferPayAmount":"0","ItemCode":"virtual_v_cvm_compute_s2_{}","ComponentCode":"virtual_v_cvm_compute","ContractPrice":"{cost}","InstanceType":"{}","RiTimeSpan":"0.00000000","OriginalCostWithRI":"0.00000000","SPDeductionRate":"0.00000000","SPDeduction":"0.00000000","OriginalCostWithSP":"0.00000000","BlendedDiscount":"1.00000000","ComponentConfig":["#,
        1 << (k % 4),
        2 << (k % 4),
        amount(k + 2, 90),
        amount(k + 3, 90),
        1 + k % 5,
        1 + k % 5,
        1 + k % 5,
        amount(k + 4, 2),
        k % 16,
        if k.is_multiple_of(4) { "ri" } else { "" },
    )
    .unwrap();
    let configs: [(&str, &str); 5] = [
        ("项目", "element_test"),
        ("主机", resource),
        ("内网IP", "10.12.0.42"),
        ("所属网络", "私有网络"),
        ("可用区", zone),
    ];
    for (n, (name, value)) in configs.iter().take(3 + k % 3).enumerate() {
        if n > 0 {
            s.push(',');
        }
        write!(s, r#"{{"Name":"{name}","Value":"{value}"}}"#).unwrap();
    }
    s.push_str("]}");
}
