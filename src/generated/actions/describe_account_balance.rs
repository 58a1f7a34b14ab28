//! `DescribeAccountBalance`: the account's balance, credit and amount owed.
//!
//! Reference: <https://console.cloud.tencent.com/api/explorer?Product=billing&Version=2018-07-09&Action=DescribeAccountBalance>

use serde::{Deserialize, Serialize};

use crate::action::{Action, ActionKind, ApiResponse, RequestBuilder, Site, private};
use crate::client::BillingClient;
use crate::protocol::WireError;

/// The request of [`BillingClient::describe_account_balance`]. Sites: both. Reads only. Quota: 20/s.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DescribeAccountBalanceRequest {
    /// Also return the temporary credit lines (`temp_amount_info_list`).
    #[serde(rename = "TempCredit", skip_serializing_if = "Option::is_none")]
    pub temp_credit: Option<bool>,
}

impl DescribeAccountBalanceRequest {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also return the temporary credit lines.
    pub fn temp_credit(mut self, value: bool) -> Self {
        self.temp_credit = Some(value);
        self
    }
}

/// The answer to [`BillingClient::describe_account_balance`]. Amounts are in cents of the account's
/// currency (CNY on the China site, USD on the international site).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct DescribeAccountBalanceResponse {
    /// The available balance, in cents (integral on the wire).
    #[serde(rename = "Balance", default, deserialize_with = "crate::wire::opt")]
    pub balance: Option<crate::money::Cents>,
    /// The account's UIN.
    #[serde(rename = "Uin", default, deserialize_with = "crate::wire::opt")]
    pub uin: Option<u64>,
    /// The available balance in cents: cash plus income plus gifts, less frozen and owed amounts.
    #[serde(rename = "RealBalance", default, deserialize_with = "crate::wire::opt")]
    pub real_balance: Option<crate::money::Cents>,
    /// The cash account balance, in cents.
    #[serde(rename = "CashAccountBalance", default, deserialize_with = "crate::wire::opt")]
    pub cash_account_balance: Option<crate::money::Cents>,
    /// The income account balance (transfers in), in cents.
    #[serde(rename = "IncomeIntoAccountBalance", default, deserialize_with = "crate::wire::opt")]
    pub income_into_account_balance: Option<crate::money::Cents>,
    /// The gift (present) account balance, in cents.
    #[serde(rename = "PresentAccountBalance", default, deserialize_with = "crate::wire::opt")]
    pub present_account_balance: Option<crate::money::Cents>,
    /// The frozen amount, in cents.
    #[serde(rename = "FreezeAmount", default, deserialize_with = "crate::wire::opt")]
    pub freeze_amount: Option<crate::money::Cents>,
    /// The amount owed, in cents. Above zero means the account is overdue.
    #[serde(rename = "OweAmount", default, deserialize_with = "crate::wire::opt")]
    pub owe_amount: Option<crate::money::Cents>,
    /// Whether the account may go into arrears. Tencent marks the field deprecated.
    #[serde(rename = "IsAllowArrears", default, deserialize_with = "crate::wire::opt")]
    pub is_allow_arrears: Option<bool>,
    /// Whether the account's spending is capped by a credit limit. Tencent marks the field deprecated.
    #[serde(rename = "IsCreditLimited", default, deserialize_with = "crate::wire::opt")]
    pub is_credit_limited: Option<bool>,
    /// The credit limit, in cents.
    #[serde(rename = "CreditAmount", default, deserialize_with = "crate::wire::opt")]
    pub credit_amount: Option<crate::money::Cents>,
    /// The credit left, in cents.
    #[serde(rename = "CreditBalance", default, deserialize_with = "crate::wire::opt")]
    pub credit_balance: Option<crate::money::Cents>,
    /// The credit actually available, in cents.
    #[serde(rename = "RealCreditBalance", default, deserialize_with = "crate::wire::opt")]
    pub real_credit_balance: Option<crate::money::Cents>,
    /// The temporary credit, in cents.
    #[serde(rename = "TempCredit", default, deserialize_with = "crate::wire::opt")]
    pub temp_credit: Option<crate::money::Cents>,
    /// The temporary credit lines, when the request asked for them.
    #[serde(rename = "TempAmountInfoList", default)]
    pub temp_amount_info_list: Option<Vec<crate::generated::models::UinTempAmountModel>>,
    /// The RequestId Tencent assigned to the call.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
    #[serde(rename = "Error", default)]
    error: Option<WireError>,
}

impl DescribeAccountBalanceResponse {
    /// The temporary credit lines, or an empty slice.
    pub fn temp_amount_info_list(&self) -> &[crate::generated::models::UinTempAmountModel] {
        self.temp_amount_info_list.as_deref().unwrap_or_default()
    }
}

impl private::Sealed for DescribeAccountBalanceRequest {}
impl private::Sealed for DescribeAccountBalanceResponse {}

impl Action for DescribeAccountBalanceRequest {
    const NAME: &'static str = "DescribeAccountBalance";
    const KIND: ActionKind = ActionKind::Read;
    const SITES: &'static [Site] = &[Site::China, Site::International];
    const QUOTA: u32 = 20;
    type Response = DescribeAccountBalanceResponse;
}

impl ApiResponse for DescribeAccountBalanceResponse {
    fn request_id(&self) -> &str {
        &self.request_id
    }
    fn take_error(&mut self) -> Option<WireError> {
        self.error.take()
    }
}

/// The fluent builder [`BillingClient::describe_account_balance`] returns.
pub type DescribeAccountBalanceBuilder = RequestBuilder<DescribeAccountBalanceRequest>;

impl RequestBuilder<DescribeAccountBalanceRequest> {
    /// Also return the temporary credit lines.
    pub fn temp_credit(mut self, value: bool) -> Self {
        self.request.temp_credit = Some(value);
        self
    }
}

impl BillingClient {
    /// Query the account balance: cash, credit, frozen and owed amounts (`DescribeAccountBalance`).
    ///
    /// Sites: both. Reads only. Quota: 20/s.
    ///
    /// ```no_run
    /// # async fn run(client: tencentcloud_billing::BillingClient) -> Result<(), tencentcloud_billing::Error> {
    /// let balance = client.describe_account_balance().send().await?;
    /// if let Some(owed) = balance.owe_amount.filter(|o| !o.is_zero()) {
    ///     eprintln!("overdue by {} yuan", owed.to_yuan());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn describe_account_balance(&self) -> DescribeAccountBalanceBuilder {
        RequestBuilder::new(self.clone())
    }
}
