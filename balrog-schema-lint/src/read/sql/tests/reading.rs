//! Splitting into statements, lines, source text and recovery from errors.

use super::*;
use crate::model::ops::{Dialect, OpKind};
use crate::read::sql::{lower_sql, read_sql_migration};

#[test]
fn unparsable_statement_in_the_middle_keeps_the_others() {
    let sql = "CREATE TABLE a (id INT);\n\
               ALTER TABLE a ADD COLUMN;\n\
               \n\
               DROP TABLE b;\n";
    for dialect in Dialect::ALL {
        let ops = read(sql, dialect);
        assert_eq!(ops.len(), 3, "{dialect}: {ops:?}");
        assert!(matches!(&ops[0], (1, OpKind::CreateTable { table, .. }) if table == "a"));
        assert_eq!(ops[1].0, 2);
        assert!(is_unreadable(&ops[1].1), "{dialect}: {ops:?}");
        assert_eq!(
            ops[2],
            (
                4,
                OpKind::DropTable {
                    table: "b".to_string()
                }
            )
        );
    }
}

#[test]
fn unreadable_carries_the_parser_message_and_the_statement_text() {
    let ops = lower_sql("SELECT 1;\nSELEC 2;\nSELECT 3", Dialect::Postgres);
    assert_eq!(ops.len(), 3);
    assert_eq!(ops[1].line, 2);
    assert_eq!(ops[1].source, "SELEC 2");
    match &ops[1].kind {
        OpKind::Unreadable { error } => {
            assert!(error.starts_with("Expected: an SQL statement, found: SELEC"));
            assert!(!error.contains("sql parser error"));
        }
        other => panic!("not unreadable: {other:?}"),
    }
}

#[test]
fn lines_are_those_of_the_first_token_not_of_leading_comments() {
    let sql = "-- migration 12\n\
               \n\
               /* a block\n   comment */\n\
               \n\
               DROP TABLE a; -- trailing\n\
               # mysql comment\n\
               DROP\n  TABLE b\n;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(
        ops.iter().map(|o| o.line).collect::<Vec<_>>(),
        vec![6, 8],
        "{ops:?}"
    );
    assert_eq!(ops[0].source, "DROP TABLE a");
    assert_eq!(ops[1].source, "DROP\n  TABLE b");
}

#[test]
fn empty_statements_and_comment_only_files_yield_nothing() {
    for dialect in Dialect::ALL {
        assert_eq!(read("", dialect), vec![]);
        assert_eq!(read("-- nothing\n/* at all */\n;;\n", dialect), vec![]);
    }
}

#[test]
fn last_statement_needs_no_semicolon() {
    assert_eq!(
        read("DROP TABLE a;\nDROP TABLE b", Dialect::Sqlite),
        vec![
            (1, OpKind::DropTable { table: "a".into() }),
            (2, OpKind::DropTable { table: "b".into() }),
        ]
    );
}

#[test]
fn crlf_and_non_ascii_keep_lines_and_text() {
    let ops = lower_sql(
        "SELECT 'é';\r\n-- ü\r\nCREATE TABLE naïve (a INT);\r\n",
        Dialect::Postgres,
    );
    assert_eq!(ops[1].line, 3);
    assert_eq!(ops[1].source, "CREATE TABLE naïve (a INT)");
}

#[test]
fn dollar_quoted_function_body_is_one_statement() {
    let sql = "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$\n\
               BEGIN\n\
                 NEW.updated := now();\n\
                 RETURN NEW;\n\
               END;\n\
               $$ LANGUAGE plpgsql;\n\
               ALTER TABLE t ADD COLUMN updated TIMESTAMP;\n";
    let ops = read(sql, Dialect::Postgres);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(
        ops[0],
        (
            1,
            OpKind::CreateRoutine {
                name: "touch".into(),
                procedure: false,
                args: vec![],
                returns: Some("trigger".into()),
                body: "as $$\nBEGIN\nNEW.updated := now();\nRETURN NEW;\nEND;\n$$ language plpgsql"
                    .into(),
                or_replace: true,
            }
        )
    );
    assert!(matches!(&ops[1], (7, OpKind::AddColumn { column, .. }) if column.name == "updated"));
}

#[test]
fn mysql_trigger_with_begin_end_and_delimiter() {
    let sql = "DELIMITER $$\n\
               CREATE TRIGGER trg BEFORE INSERT ON rules FOR EACH ROW\n\
               BEGIN\n\
                 SET NEW.a = 1;\n\
                 IF NEW.b IS NULL THEN SET NEW.b = 2; END IF;\n\
               END$$\n\
               DELIMITER ;\n\
               DROP TABLE old_rules;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[0].line, 2);
    assert!(
        matches!(&ops[0].kind, OpKind::CreateTrigger { name, table, definition, .. }
            if name == "trg" && table == "rules" && definition.ends_with("end if; end")),
        "{:?}",
        ops[0].kind
    );
    assert!(ops[0].source.ends_with("END IF;\nEND"), "{}", ops[0].source);
    assert_eq!(
        (ops[1].line, &ops[1].kind),
        (
            8,
            &OpKind::DropTable {
                table: "old_rules".into()
            }
        )
    );
}

#[test]
fn mysql_trigger_without_delimiter_is_kept_whole() {
    let sql = "CREATE TRIGGER trg AFTER UPDATE ON t FOR EACH ROW BEGIN\n\
                 INSERT INTO audit VALUES (1);\n\
                 DELETE FROM other;\n\
               END;\n\
               SELECT 1;\n";
    assert_eq!(
        read(sql, Dialect::Mysql),
        vec![
            (
                1,
                OpKind::CreateTrigger {
                    name: "trg".into(),
                    table: "t".into(),
                    definition: "after update on t for each row begin insert into audit values(1); delete from other; end".into(),
                    or_replace: false,
                }
            ),
            (5, no_effect("SELECT")),
        ]
    );
}

#[test]
fn failing_block_statement_is_skipped_whole() {
    // The parser rejects the body; recovery must not stop at the `;` inside it.
    let sql = "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN 1 THEN 2 END; DROP TABLE zz; \
               nonsense here; END;\n\
               DROP TABLE after;\n";
    let ops = read(sql, Dialect::Mysql);
    assert_eq!(
        ops,
        vec![
            (
                1,
                OpKind::CreateRoutine {
                    name: "p".into(),
                    procedure: true,
                    args: vec![],
                    returns: None,
                    body: "begin select case when 1 then 2 end; drop table zz; nonsense here; end"
                        .into(),
                    or_replace: false,
                }
            ),
            (
                2,
                OpKind::DropTable {
                    table: "after".into()
                }
            ),
        ]
    );
}

#[test]
fn unbalanced_block_falls_back_to_the_first_semicolon() {
    let sql = "CREATE TABLE t (a INT) BEGIN;\nDROP TABLE after;\n";
    let ops = read(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(is_unreadable(&ops[0].1));
    assert_eq!(
        ops[1],
        (
            2,
            OpKind::DropTable {
                table: "after".into()
            }
        )
    );
}

#[test]
fn tokenizer_error_keeps_earlier_statements() {
    let sql = "DROP TABLE a;\n\nINSERT INTO t VALUES ('unterminated);\nDROP TABLE b;\n";
    let ops = lower_sql(sql, Dialect::Mysql);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[0].kind, OpKind::DropTable { table: "a".into() });
    assert_eq!(ops[1].line, 3);
    assert!(ops[1].source.starts_with("INSERT INTO t"));
    match &ops[1].kind {
        OpKind::Unreadable { error } => assert!(error.contains("Unterminated"), "{error}"),
        other => panic!("not unreadable: {other:?}"),
    }
}

#[test]
fn deep_nesting_is_unreadable_not_a_crash() {
    let nested = format!("SELECT {}1{};", "(".repeat(5000), ")".repeat(5000));
    let sql = format!("{nested}\nDROP TABLE after;");
    let ops = read(&sql, Dialect::Generic);
    assert_eq!(ops.len(), 2);
    assert!(matches!(&ops[0].1, OpKind::Unreadable { error } if error.contains("nested")));
    assert_eq!(
        ops[1],
        (
            2,
            OpKind::DropTable {
                table: "after".into()
            }
        )
    );
}

#[test]
fn non_mysql_delimiter_line_is_unreadable_at_its_line() {
    let ops = read("SELECT 1;\nDELIMITER $$\n", Dialect::Postgres);
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[1].0, 2);
    assert!(is_unreadable(&ops[1].1));
}

#[test]
fn every_operation_of_a_statement_shares_its_line_and_text() {
    let ops = lower_sql(
        "\n  ALTER TABLE t DROP COLUMN a, DROP COLUMN b  ;",
        Dialect::Postgres,
    );
    assert_eq!(ops.len(), 2);
    for op in &ops {
        assert_eq!(op.line, 2);
        assert_eq!(op.source, "ALTER TABLE t DROP COLUMN a, DROP COLUMN b");
    }
}

#[test]
fn read_sql_migration_wraps_the_operations() {
    let parsed = read_sql_migration("DROP TABLE a;", Dialect::Mysql);
    assert_eq!(parsed.operations.len(), 1);
    assert!(parsed.revision.is_none());
}
