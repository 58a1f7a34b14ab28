//! The catalogue the demo rows are drawn from: products with their price ranges and components,
//! regions, projects and tags. Weights set how often each appears.

/// A product rows are billed under, and what shapes its rows.
pub(super) struct Product {
    pub(super) business: &'static str,
    pub(super) business_name: &'static str,
    pub(super) product: &'static str,
    pub(super) product_name: &'static str,
    /// Relative frequency of rows.
    pub(super) weight: u64,
    pub(super) resource_prefix: &'static str,
    pub(super) resources: u64,
    /// Hourly price range in cents (low, high).
    pub(super) hourly: (i64, i64),
    /// Whether some rows are monthly subscriptions.
    pub(super) prepaid: bool,
    pub(super) components: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)],
}

pub(super) const PRODUCTS: &[Product] = &[
    Product {
        business: "p_cvm",
        business_name: "Cloud Virtual Machine",
        product: "sp_cvm_s5",
        product_name: "CVM - Standard S5",
        weight: 30,
        resource_prefix: "ins",
        resources: 40,
        hourly: (35, 480),
        prepaid: true,
        components: &[
            ("v_cvm_compute", "Compute", "v_cvm_compute_s5", "Compute - S5 4C8G", "instance-hour"),
            ("v_cvm_rootdisk", "System disk", "v_cvm_rootdisk_ssd", "System disk - SSD", "GB-hour"),
        ],
    },
    Product {
        business: "p_cbs",
        business_name: "Cloud Block Storage",
        product: "sp_cbs_premium",
        product_name: "CBS - Premium Cloud Disk",
        weight: 12,
        resource_prefix: "disk",
        resources: 30,
        hourly: (4, 60),
        prepaid: true,
        components: &[("v_cbs_premium", "Capacity", "v_cbs_premium_gb", "Premium disk capacity", "GB-hour")],
    },
    Product {
        business: "p_cos",
        business_name: "Cloud Object Storage",
        product: "sp_cos_standard",
        product_name: "COS - Standard Storage",
        weight: 10,
        resource_prefix: "cos",
        resources: 8,
        hourly: (10, 240),
        prepaid: false,
        components: &[
            ("v_cos_storage", "Storage", "v_cos_standard_gb", "Standard storage", "GB-hour"),
            ("v_cos_requests", "Requests", "v_cos_read_req", "Read requests", "10k requests"),
        ],
    },
    Product {
        business: "p_cdn",
        business_name: "Content Delivery Network",
        product: "sp_cdn_traffic",
        product_name: "CDN - Traffic",
        weight: 9,
        resource_prefix: "cdn",
        resources: 5,
        hourly: (50, 900),
        prepaid: false,
        components: &[("v_cdn_traffic", "Traffic", "v_cdn_traffic_domestic", "Domestic traffic", "GB")],
    },
    Product {
        business: "p_cdb",
        business_name: "TencentDB for MySQL",
        product: "sp_cdb_ha",
        product_name: "MySQL - Two-node",
        weight: 8,
        resource_prefix: "cdb",
        resources: 10,
        hourly: (60, 620),
        prepaid: true,
        components: &[
            ("v_cdb_compute", "Instance", "v_cdb_4c16g", "Instance - 4C16G", "instance-hour"),
            ("v_cdb_storage", "Storage", "v_cdb_ssd_gb", "SSD storage", "GB-hour"),
        ],
    },
    Product {
        business: "p_clb",
        business_name: "Cloud Load Balancer",
        product: "sp_clb",
        product_name: "CLB - Standard",
        weight: 6,
        resource_prefix: "lb",
        resources: 12,
        hourly: (2, 40),
        prepaid: false,
        components: &[("v_clb_instance", "Instance", "v_clb_lcu", "LCU", "LCU-hour")],
    },
    Product {
        business: "p_apigateway",
        business_name: "API Gateway",
        product: "sp_apigateway_calls",
        product_name: "API Gateway - Calls",
        weight: 7,
        resource_prefix: "service",
        resources: 9,
        hourly: (1, 120),
        prepaid: false,
        components: &[("v_apigw_calls", "Calls", "v_apigw_calls_10k", "API calls", "10k calls")],
    },
    Product {
        business: "p_faceid",
        business_name: "eKYC",
        product: "sp_faceid_verify",
        product_name: "eKYC - Liveness Verification",
        weight: 4,
        resource_prefix: "faceid",
        resources: 3,
        hourly: (30, 400),
        prepaid: false,
        components: &[("v_faceid_verify", "Verification", "v_faceid_liveness", "Liveness checks", "call")],
    },
    Product {
        business: "p_redis",
        business_name: "TencentDB for Redis",
        product: "sp_redis_standard",
        product_name: "Redis - Standard",
        weight: 6,
        resource_prefix: "crs",
        resources: 8,
        hourly: (20, 260),
        prepaid: true,
        components: &[("v_redis_memory", "Memory", "v_redis_memory_gb", "Memory", "GB-hour")],
    },
    Product {
        business: "p_cls",
        business_name: "Cloud Log Service",
        product: "sp_cls_index",
        product_name: "CLS - Indexing",
        weight: 8,
        resource_prefix: "topic",
        resources: 14,
        hourly: (1, 90),
        prepaid: false,
        components: &[("v_cls_index", "Index traffic", "v_cls_index_gb", "Index traffic", "GB")],
    },
];

/// (id, name, zone, weight)
pub(super) const REGIONS: &[(&str, &str, &str, u64)] = &[
    ("ap-guangzhou", "South China (Guangzhou)", "Guangzhou Zone 6", 30),
    ("ap-shanghai", "East China (Shanghai)", "Shanghai Zone 4", 25),
    ("ap-beijing", "North China (Beijing)", "Beijing Zone 7", 20),
    ("ap-chengdu", "Southwest China (Chengdu)", "Chengdu Zone 2", 8),
    ("ap-hongkong", "Hong Kong, Macau and Taiwan (China) (Hong Kong)", "Hong Kong Zone 2", 9),
    ("ap-singapore", "Southeast Asia (Singapore)", "Singapore Zone 3", 8),
];

pub(super) const PROJECTS: &[(i64, &str)] =
    &[(0, "Default Project"), (1001, "web-frontend"), (1002, "data-platform"), (1003, "ml-research")];

pub(super) const ENV_TAGS: &[&str] = &["prod", "prod", "prod", "staging", "dev", ""];
pub(super) const TEAM_TAGS: &[&str] = &["payments", "search", "growth", ""];

/// The tag keys the demo resources carry.
pub const TAG_KEYS: &[&str] = &["env", "team"];

pub(super) const PAYER_UIN: &str = "100000000001";

/// The accounts that own the demo's resources, as (UIN, name): the paying account first, then
/// three member accounts whose resources it pays for (their rows have `OwnerUin` ≠ `PayerUin`).
pub const ACCOUNTS: &[(&str, &str)] = &[
    (PAYER_UIN, "Demo Payer"),
    ("100000000002", "Web Team"),
    ("100000000003", "Data Team"),
    ("100000000004", "ML Team"),
];

/// The region whose rows carry tax (`TaxRate`/`TaxAmount` on each component), and the rate.
pub(super) const TAXED_REGION: &str = "ap-singapore";
pub(super) const TAX_RATE: (i64, u32) = (9, 2);
