// @generated automatically by Diesel CLI.

diesel::table! {
    rules (rule_id) {
        rule_id -> Integer,
        priority -> Nullable<Integer>,
        legacy_flag -> Nullable<Bool>,
    }
}
