// Numbered migrations for both engines from one list, applied in order inside one transaction.
// SQLite records the last in PRAGMA user_version, PostgreSQL in the table lrw_schema.
import * as m001 from './001_init';
import * as m002 from './002_deadlines';
import * as m003 from './003_discussion';
import * as m004 from './004_documents';
import * as m005 from './005_row_security';
import * as m006 from './006_gate';
import * as m007 from './007_accounts';
import * as m008 from './008_gate_inputs';
import * as m009 from './009_records';
import * as m010 from './010_chain_rows';
import * as m011 from './011_checkpoints';
import * as m012 from './012_alarms';
import * as m013 from './013_sessions';
import * as m014 from './014_work_in_flight';
import * as m015 from './015_row_versions';
import * as m016 from './016_desk_signing';
import * as m017 from './017_referrals';
import * as m018 from './018_enforcement';
import * as m019 from './019_case_files';
import * as m020 from './020_inspections';
import * as m021 from './021_filings';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
