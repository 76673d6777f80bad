// The term "this subscription asks for changes of `kind`" over the subscriptions table's `objects`
// column (`|EVENT|PROGRAM|`, tables.ts). Written once for the partial indexes (migrations.ts
// 0002) and the query that must repeat it word for word to use them: the pattern is a literal,
// not a parameter, because neither SQLite nor PostgreSQL matches a partial index to a bound value.
import type { ObjectType } from "@gridlink/model";
import { sql } from "kysely";

export const subscribesTo = (kind: ObjectType) => sql<boolean>`objects like ${sql.lit(`%|${kind}|%`)}`;
