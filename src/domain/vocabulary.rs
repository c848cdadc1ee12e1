//! The words the pipeline's records share: stages, lead statuses, the
//! checklist's criteria and the reasons for disqualifying or losing. A leaf:
//! leads, opportunities and their histories all build on it.

crate::named::named_values! {
    /// One of the four qualification criteria.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Criterion {
        Need = "need",
        Budget = "budget",
        Timeline = "timeline",
        Authority = "authority",
    }
}

impl Criterion {
    /// The checkbox label.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Need => "Need",
            Criterion::Budget => "Budget",
            Criterion::Timeline => "Timeline",
            Criterion::Authority => "Authority",
        }
    }

    /// What ticking the box claims, in the spec's words.
    pub fn explanation(self) -> &'static str {
        match self {
            Criterion::Need => "Has a requirement for the product or service.",
            Criterion::Budget => "Is able to afford it.",
            Criterion::Timeline => {
                "Is in the market and looking to buy within a reasonable period."
            }
            Criterion::Authority => {
                "Has power to make the buying decision. Not essential, but a strong signal."
            }
        }
    }

    /// Its weight in the score (all four add up to 100).
    pub fn points(self) -> u8 {
        match self {
            Criterion::Need => 30,
            Criterion::Budget => 25,
            Criterion::Timeline => 25,
            Criterion::Authority => 20,
        }
    }

    /// Whether the qualification gate requires it.
    pub fn is_gate(self) -> bool {
        self != Criterion::Authority
    }
}

crate::named::named_values! {
    /// Why a lead was disqualified.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum DisqualifyReason {
        NoNeed = "no_need",
        NoBudget = "no_budget",
        NoAuthority = "no_authority",
        BadTiming = "bad_timing",
        Unreachable = "unreachable",
        ChoseCompetitor = "chose_competitor",
        Other = "other",
    }
}

impl DisqualifyReason {
    pub fn label(self) -> &'static str {
        match self {
            DisqualifyReason::NoNeed => "No need",
            DisqualifyReason::NoBudget => "No budget",
            DisqualifyReason::NoAuthority => "No authority",
            DisqualifyReason::BadTiming => "Bad timing",
            DisqualifyReason::Unreachable => "Unreachable",
            DisqualifyReason::ChoseCompetitor => "Chose competitor",
            DisqualifyReason::Other => "Other",
        }
    }
}

crate::named::named_values! {
    /// A lead status without its data, for history, filters and reports.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum LeadStatusKind {
        #[default]
        New = "new",
        Contacted = "contacted",
        Qualified = "qualified",
        Disqualified = "disqualified",
        Converted = "converted",
    }
}

impl LeadStatusKind {
    pub fn label(self) -> &'static str {
        match self {
            LeadStatusKind::New => "New",
            LeadStatusKind::Contacted => "Contacted",
            LeadStatusKind::Qualified => "Qualified",
            LeadStatusKind::Disqualified => "Disqualified",
            LeadStatusKind::Converted => "Converted",
        }
    }

    /// Still being worked: New, Contacted or Qualified.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            LeadStatusKind::New | LeadStatusKind::Contacted | LeadStatusKind::Qualified
        )
    }
}

crate::named::named_values! {
    /// A step of the sales process.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Stage {
        #[default]
        NeedsAnalysis = "needs_analysis",
        Proposal = "proposal",
        Negotiation = "negotiation",
        Contract = "contract",
        Won = "won",
        Lost = "lost",
    }
}

/// The stages an opportunity can be moved between, in board order.
pub const OPEN_STAGES: [Stage; 4] = [
    Stage::NeedsAnalysis,
    Stage::Proposal,
    Stage::Negotiation,
    Stage::Contract,
];

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::NeedsAnalysis => "Needs analysis",
            Stage::Proposal => "Proposal",
            Stage::Negotiation => "Negotiation",
            Stage::Contract => "Contract",
            Stage::Won => "Won",
            Stage::Lost => "Lost",
        }
    }

    /// Win probability in percent when the user has not set one.
    pub fn default_probability(self) -> u8 {
        match self {
            Stage::NeedsAnalysis => 20,
            Stage::Proposal => 40,
            Stage::Negotiation => 60,
            Stage::Contract => 80,
            Stage::Won => 100,
            Stage::Lost => 0,
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Won | Stage::Lost)
    }
}

crate::named::named_values! {
    /// Why a deal was lost.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum LostReason {
        Price = "price",
        ChoseCompetitor = "chose_competitor",
        NoDecision = "no_decision",
        Timing = "timing",
        LostContact = "lost_contact",
        Other = "other",
    }
}

impl LostReason {
    pub fn label(self) -> &'static str {
        match self {
            LostReason::Price => "Price",
            LostReason::ChoseCompetitor => "Chose competitor",
            LostReason::NoDecision => "No decision",
            LostReason::Timing => "Timing",
            LostReason::LostContact => "Lost contact",
            LostReason::Other => "Other",
        }
    }
}
