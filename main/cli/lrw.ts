// `lrw`: the same core as the app, for administrators and automation. Commands that act for a person
// take --as USER, sign in with that user's password and speak the contract (preload/contract.ts)
// through a Caller (./caller.ts): the handler table of a core opened on --db, or an agency server
// named by --server. Commands on the database itself (init, audit verify / checkpoint / key, backup,
// restore, db copy / migrate) open the database and never go through a server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Channel, Outputs } from '../../preload/contract';
import { AppError, toErrorPayload, type ErrorCode } from '../core/domain/errors';
import { openCore, closeCore, type Actor, type Core } from '../core/services/core';
import { authenticate } from '../core/services/auth';
import { appStatus, setup } from '../core/services/setup';
import { verifyChain } from '../core/services/audit';
import { raiseAlarmIfFailed } from '../core/services/alarms';
import { bytesText } from '../core/services/uploads';
import { backupTo } from '../core/services/backup';
import { RestoreCheckFailed, restoreFrom, type RestoreResult } from '../core/services/restore';
import { defaultUserDataDir, resolveDbPath } from '../core/paths';
import { CASE_STATE_LABELS, findingLabel, LAYOUT_PROFILE_LABELS, LAYOUT_PROFILES, OUTCOME_LABELS, ROLE_LABELS, APPROVAL_LABELS } from '../core/domain/types';
import type { AuditVerifyView, CaseDetail, MeetingView, UserView, VerifyProgress } from '../core/domain/views';
import { readKeyPassphrase, readNewPassword, readPassword } from './password';
import { type Caller, LocalCaller, RemoteCaller } from './caller';
import { runServe } from '../server/cli';
import { DeskSigner } from '../core/services/signAtDesk';
import { createKeytarSecretStore, type SecretStore } from '../core/secrets';
import { exportCheckpoint, exportRecordKey, importRecordKey, initRecordKey, recordKeyStatus, type RecordKeyAlgorithm, type RecordKeyStatus } from '../core/services/checkpoints';
import { modelToText } from '../core/documents/template';
import { cstDate, formatChinaMoment, formatChineseDate, PROVISIONAL_LABEL, withChinaOffsets } from '../core/domain/calendar';

/** --json: the core's value with every instant in ISO 8601 at +08:00 (China time); plain dates unchanged. */
export function jsonText(v: unknown, _replacer?: null, indent?: number): string {
  return JSON.stringify(withChinaOffsets(v), null, indent);
}
/** Text output: a stored date or instant as a person in China reads it (2026年12月1日 15:56). */
const cn = (v: string | null | undefined): string => formatChinaMoment(v);
/** The China-time calendar day of an instant (a certificate's validity): 2029年12月1日. */
const cnDay = (iso: string): string => formatChineseDate(cstDate(new Date(iso)));
import { copyStore, type CopyProgress, type CopyStoreResult } from '../core/services/dbcopy';
import { displayTarget, isPostgresUrl, openDb, regrant, schemaVersion } from '../core/db/open';
import { LATEST_VERSION } from '../core/db/migrations';
import { EXTENSION_APPROVER_LABELS } from '../core/services/reviewSettings';
import { compareExport } from '../core/services/caseFiles';
import { createHash } from 'node:crypto';

export const USAGE = `法制审核工作台 命令行工具 lrw

用法: lrw <命令> [参数] [--db 数据库文件 | --server https://服务器:端口 [--ca 证书.pem]] [--as 用户名] [--json]

  serve [--db URL|文件] [--listen 地址:端口] [--tls-cert cert.pem --tls-key key.pem] [--files 目录]   本单位服务器（lrw serve --help 查看全部参数）
  serve --init-tls --host 主机名 --out 目录                                 生成试用的自签名证书并显示指纹
  init --agency 机关名称 --prefix 文号前缀 --admin 用户名 --name 姓名 [--algorithm ed25519|sm2]   初始化机关档案、首位管理员与记录签名密钥
  user add --file user.json --as 系统管理员                               新增用户（带角色须创建者同时可授予角色）
  user list --as 用户                                                     用户名单（含锁定、待改密码）
  user roles 用户名 --set handler,reviewer --as 安全管理员                 调整角色（不能调整本人；三员分立）
  user reset-password 用户名 --as 安全管理员                              重置密码（临时密码取自 LRW_NEW_PASSWORD，否则生成并显示一次）
  user unlock 用户名 --as 安全管理员                                      解除登录锁定
  user passwd --as 用户                                                   修改本人密码（新密码取自 LRW_NEW_PASSWORD 或终端输入；重置后须先修改）
  security show --as 用户 / security set --file security.json --as 安全管理员   登录锁定、空闲超时、三员分立设置
  case submit --file case.json --as 承办人                                送审
  case resubmit ID --file case.json --note 补正说明 --as 承办人           补正后重新送审
  case show ID [--json] --as 用户                                         查看案件（ID 为内部编号或案件编号）
  case list [--query 文字] [--state 状态] --as 用户                       检索案件
  case report queue|search [--query 文字] [--state 状态] [--out 文件.xlsx] --as 用户   打印用清单（北京时间）；--out 导出 Excel（与应用中“导出 Excel”相同）
  case take ID --as 审核人员                                              领取审核
  case close ID --as 承办人                                               办结（决定已送达、执行完毕后；此后起算30日归档期限）
  archive ID --custodian 用户名 --as 承办人                              组卷归档（生成带书签和页号的案卷 PDF、全过程记录摘录与文件清单），移交档案管理员
  archive receive ID [--note 说明] --as 档案管理员                        接收移交的案卷
  archive supplement ID --file supplement.json --as 承办人、法制机构负责人或档案管理员   补充归档（纠错、撤销、评查意见等；归档的案卷本身不变）
  casefile export ID --out 目录 --as 用户                                 导出案卷：案卷.pdf、全过程记录.json、原件和 manifest.json（SHA-256 清单）
  casefile verify 目录 --as 用户                                          核对导出的案卷与记录是否一致（任一字节被改动即指出）
  inspection list --as 评查人员                                            已归档、可评查的案卷
  inspection add ID --file inspection.json --as 评查人员                    登记案卷评查意见（结论、意见、整改要求），并补充归档
  inspection reply 评查意见编号 --text 整改情况 --as 承办人或法制机构负责人   答复评查意见的整改要求（一次）
  filing export ID --out 文件.pdf --as 用户                                 导出备案材料（已签发的备案报告及所附决定文书等，一个签名文件）
  filing record ID --file filing.json --as 法制机构负责人                    登记报送备案（日期、接收机关；须先签发备案报告：lrw issue filing-report --case ID）
  filing respond 备案编号 --file response.json --as 法制机构负责人           登记接收机关的审查意见（准予备案、责令改正、予以撤销）
  filing correct 审查意见编号 --text 改正情况 --as 承办人或法制机构负责人    登记责令改正的改正情况（一次）
  settings filing [--recipients 机关1,机关2] --as 系统管理员                 查看或设置默认的备案接收机关
  catalog show [--version N] [--json] --as 用户                              现行目录清单、各版本与调整方案（--version 查看某一版的事项）
  catalog edit --file catalog.json --note 调整说明 --as 系统管理员           拟定目录清单调整方案（报送备案后才生效）
  catalog file 方案编号 --file filing.json --as 系统管理员                   登记调整方案已报送备案，新版本即时生效
  catalog respond 备案编号 --file response.json --as 系统管理员              登记目录清单备案的审查意见（予以撤销的，恢复调整前的版本）
  stats --from YYYY-MM-DD --to YYYY-MM-DD [--xlsx 文件.xlsx] [--json] --as 法制机构负责人或机关负责人   期间统计（每项注明口径）
  queue --as 用户                                                         我的待办
  review ID --file review.json --as 审核人员                              出具审核意见（九项结论）
  approve ID --decision approve|reject --opinion 意见 [--override-reason 理由] --as 机关负责人
  deadline --from YYYY-MM-DD --days N [--natural]                       计算期限届满日
  calendar show 年份                                                       查看某年节假日安排
  calendar import 文件.json --as 管理员                                     录入新公布的年度节假日安排
  overdue --as 法制机构负责人                                               逾期和即将到期的审核
  extend ID --reason 理由 --as 批准人                                       直接批准延长审核期限（一次；批准人按机关设置）
  extend request ID --reason 理由 --as 审核人员                             申请延长审核期限
  extend approve ID --reason 理由 --as 批准人 / extend refuse ID --reason 理由 --as 批准人   批准 / 不予批准延期申请
  user exempt 用户名 --note 说明 --as 安全管理员                            登记审核人员2021年7月15日前已从事处罚审核（行政处罚法第五十八条）
  settings review [--review-all on|off] [--extension-approver legal_head|agency_head] --as 系统管理员   查看或修改送审与延期设置
  expert add ID --file expert.json --as 审核人员                            登记专家论证意见（审核中，可附文件）
  settings uploads [--max-mib N] --as 系统管理员                            查看 / 设置单个文件上传上限
  rereview request ID --reason 理由 --as 承办人                              申请复审（每案一次）
  escalate ID --reason 理由 --as 承办人                                      复审后仍有异议，由法制机构提请集体讨论（退回或不同意）
  discussion propose ID --reason 理由 --as 法制机构或承办人                  提请集体讨论任一已审核的重大案件
  case revise ID --file case.json --note 说明 --as 承办人                    未获批准（或接受不同意意见）后修改处理方案重新送审
  case end ID --kind no_penalty|withdraw|other --reason 理由 --as 承办人     未获批准后提出终结意见（不予行政处罚 / 撤销立案 / 其他）
  ending review ID --outcome agree|disagree --opinion 意见 --as 审核人员    审核终结意见
  ending approve ID --outcome agree|disagree --opinion 意见 --as 机关负责人  批准（agree）或不批准终结
  referral report ID --text 书面报告 --as 承办人                            移送涉嫌犯罪案件：提出书面报告
  referral decide ID --decision approve|reject --reason 意见 --as 机关负责人 批准移送或不批准（3日内）
  referral transfer ID --police 公安机关 --procuratorate 人民检察院 [--supervisory 监察机关] [--note 说明] --as 承办人
                                                                             登记向公安机关移送（批准后24小时内）
  service add ID --file service.json --as 承办人                             登记执法决定文书的送达（直接、邮寄、留置、委托转交、公告；可附送达回证等文件）
  execution add ID --file execution.json --as 承办人                         登记履行与执行：缴纳罚款、履行、改正核查、催告、复核、强制执行、申请法院强制执行及结果
  meeting list | show ID --as 用户                                          负责人会议
  meeting create --file meeting.json --as 会议秘书                          创建会议并列入议题
  meeting record ID --file record.json --as 会议秘书                        记录出席、汇报、表态
  meeting decide ID --case 案件 --decision approve|reject --text 决定 --as 会议秘书
  meeting agenda ID --as 主持人                                             确定会议议题（秘书准备，主持人确定后才能决定）
  meeting recuse ID --case 案件 --user 用户名 --source self|party --reason 理由 --as 本人或会议秘书   记录回避
  meeting lock ID --as 主持人                                               确认并锁定会议纪要
  meeting amend ID --text 内容 --reason 理由 --as 会议秘书                  追加补正记录
  template list --as 用户                                                   列出文书模板及其版式
  template layout 模板 gbt9704|enforcement --as 系统管理员                   选择模板的版式（GB/T 9704 公文格式或行政执法文书格式）
  render 模板 --case 案件 [--draft draft.json] [--pdf|--docx] [--out 文件] --as 用户   按模板生成案件文书（文本、PDF 或 Word 草稿）
  finalize 模板 --case 案件 [--draft draft.json] --as 用户                    按模板生成并定稿（存为新版本）
  issue 模板 --case 案件 [--out 目录] --as 用户                              签发已定稿文书（PDF 与 Word，带数字签名）
  identity trial --as 用户 / identity import 证书.p12 --as 用户              生成试用证书 / 导入CA证书（口令：LRW_P12_PASSPHRASE）
  sign 文件 [--out 文件] --as 用户                                           对 PDF 嵌入签名，或为其他文件生成 .p7s
  fonts show / fonts order --file fonts.json --as 管理员                      查看 / 调整 PDF 嵌入字体的优先顺序
  verify 文件 [--sig 文件.p7s] [--as 用户]                                  校验签名：签名人、时间、证书、是否被改动（有权查阅的用户可见案件编号）
  audit verify [--quick] [--against 文件…] [--as 用户]                    校验全过程记录：哈希链、每行记录、每个文件（--quick 不校验文件；--against 对照导出的检查点与签发的 PDF）
  audit checkpoint --out 文件.json --as 用户                              导出当前链头的已签名检查点（含公钥；存档、备案或离线保存）
  audit key show                                                          记录签名公钥、指纹，及本机是否持有私钥
  audit key init [--algorithm ed25519|sm2] [--rotate] --as 系统管理员     为尚无记录签名密钥的数据库创建密钥（--rotate：私钥遗失时换用新密钥）
  audit key export --out 文件.pem --as 系统管理员                         导出记录签名私钥（口令保护的 PKCS#8；口令：LRW_KEY_PASSPHRASE 或 --passphrase-file）
  audit key import 文件.pem --as 系统管理员                               在本机导入导出的记录签名私钥（须为本数据库当前的密钥）
  audit log [--action 前缀] [--limit N] --as 审计管理员                   查阅全过程记录（最新在前）
  audit alarms [--all] --as 用户                                          未确认的记录校验警报（--all：全部）；系统管理员、法制机构负责人
  audit ack --alarm ID --reason 理由 --as 用户                            确认记录校验警报（理由至少4个字，记入全过程记录，不能重复确认）
  backup --to 文件                                                        在线备份数据库、附件与文书文件、签名证书（不含记录签名私钥）
  restore --from 备份 --db 新文件                                         还原备份并检查完整性、文件哈希与全过程记录后才报告成功
  restore --from 备份目录 --db postgres://… --files 目录                  PostgreSQL：数据库由 pg_restore 还原后，还原文件部分并校验
  db copy [--from lrw.sqlite] --to postgres://… [--files-from 目录] [--files-to 目录]   将单机数据库及附件迁移到空的机关数据库并校验
  db migrate [--db 数据库]                                                升级数据库表结构（须由数据库属主执行）并显示版本

数据库: --db 指定 SQLite 文件或 postgres:// 地址；否则环境变量 LRW_DB；否则用户数据目录下的 lrw.sqlite。
附件与文书文件: SQLite 时默认在数据库文件旁（…-files）；PostgreSQL 时须以 --files 目录或环境变量 LRW_FILES 指定。
身份: --as 用户名；密码取自环境变量 LRW_PASSWORD，或 --password-file 文件，否则在终端提示输入（不回显）。
服务器: --server https://主机:端口 经本单位服务器（lrw serve）操作，不需要 --db 与数据库口令；信任系统的 CA、环境变量 NODE_EXTRA_CA_CERTS 指定的证书，及 --ca 文件.pem。
        经服务器签名时私钥只在本机：identity trial / identity import 把证书存入本机（目录 LRW_KEYS_DIR，默认用户数据目录下的 signing-keys；口令存入系统钥匙串）并向服务器登记其公开证书；issue 由服务器生成文书、本机签名、服务器核验后存档。
        直接操作数据库的命令（init、audit checkpoint、audit key、backup、restore、db copy、db migrate，及带 --against 的 audit verify）须在数据库所在机器上运行。
退出码: 0 成功；1 操作被拒绝或输入有误（未作任何修改）；2 用法错误；3 身份验证失败；4 记录或签名校验未通过；5 无法连接服务器或服务器证书不受信任。`;

class UsageError extends Error {}

/** What every command has: its arguments and where it writes. */
interface IOCtx {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** A command that speaks the contract (locally through dispatch, or to a server with --server). */
interface Ctx extends IOCtx {
  caller: Caller;
  /** One channel; a refusal is thrown as the core's AppError. */
  call: <C extends Channel>(channel: C, input: unknown) => Promise<Outputs[C]>;
  /** Signs in as --as (once per command) and returns the signed-in user. */
  actor: () => Promise<UserView>;
}

/** A command on the database itself (coreCommands): the core lrw opened on --db. */
interface CoreCtx extends IOCtx {
  core: Core;
  actor: () => Promise<Actor>;
}

function str(ctx: IOCtx, name: string, required = true): string {
  const v = ctx.values[name];
  if (typeof v === 'string' && v.trim()) return v;
  if (required) throw new UsageError(`缺少参数 --${name}`);
  return '';
}

/** A JSON file that must hold one object (the fields of a request). */
function jsonObject(file: string): Record<string, unknown> {
  const data = readJson(file);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('VALIDATION', `文件“${file}”应为一个 JSON 对象。`);
  return data as Record<string, unknown>;
}

/** The first positional as a record number (备案编号…), or a usage error with an example. */
function numberArg(ctx: IOCtx, label: string, example: string): number {
  const raw = ctx.positionals[0];
  if (!raw || !/^\d+$/.test(raw)) throw new UsageError(`缺少${label}，例如 ${example}`);
  return Number(raw);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('VALIDATION', `无法读取文件“${file}”。`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AppError('VALIDATION', `文件“${file}”不是有效的 JSON：${(err as Error).message}`);
  }
}

function readFileBytes(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new AppError('VALIDATION', `无法读取${what}“${file}”。`);
  }
}

/** The account a `lrw user …` command acts on, by username (users.byName, after signing in). */
async function userArg(ctx: Ctx): Promise<{ id: number; username: string }> {
  const name = ctx.positionals[0];
  if (!name) throw new UsageError('缺少用户名，例如 lrw user unlock zhang --as 安全管理员');
  await ctx.actor();
  return (await ctx.call('users.byName', { usernames: [name] }))[0];
}

/** A case named by its internal id or its 案件编号 (cases.byNo, after signing in). */
async function caseRef(ctx: Ctx, raw: string | undefined): Promise<number> {
  await ctx.actor();
  if (!raw) throw new UsageError('缺少案件 ID');
  if (/^\d+$/.test(raw)) return Number(raw);
  return (await ctx.call('cases.byNo', { caseNo: raw })).caseId;
}

const caseIdArg = (ctx: Ctx): Promise<number> => caseRef(ctx, ctx.positionals[0]);

/**
 * A service or execution record from a JSON file (--file): `files` are paths relative to that file. Every
 * rule is checked (a dry run) before any file is stored; then the files are uploaded and named.
 */
async function recordWithFiles(ctx: Ctx, check: 'enforcement.checkService' | 'enforcement.checkExecution' | 'archive.checkSupplement') {
  const caseId = await caseIdArg(ctx);
  const file = str(ctx, 'file');
  const data = readJson(file);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('VALIDATION', `文件“${file}”应为一个 JSON 对象。`);
  const x: Record<string, unknown> = { ...(data as Record<string, unknown>), caseId };
  const paths = x.files === undefined ? [] : x.files;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw new AppError('VALIDATION', '“files”应为文件路径的列表（相对于该 JSON 文件）。');
  await ctx.call(check, { ...x, files: [] } as never);
  const files: { sha256: string; name: string }[] = [];
  for (const p of paths as string[]) {
    const abs = path.resolve(path.dirname(file), p);
    files.push(await uploadFile(ctx, abs, path.basename(abs)));
  }
  return { caseId, x: { ...x, files } as never };
}

/** What still stands before 办结, or that it may close now. */
function enforcementTail(c: { enforcement: { closeBlockers: string[]; conclusion: string | null } | null }): string {
  const e = c.enforcement;
  if (!e) return '';
  return e.closeBlockers.length ? `\n办结前还需：${e.closeBlockers.join('；')}` : `\n${e.conclusion ? `${e.conclusion}；` : ''}可以办结（lrw case close）`;
}

/** Raw bytes per uploads.chunk: well inside the contract's limit and a server's request size limit. */
const UPLOAD_CHUNK = 512 * 1024;

/** A file from disk into the attachment store through uploads.begin / chunk / finish. */
async function uploadFile(ctx: Ctx, file: string, name: string): Promise<{ sha256: string; name: string }> {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new AppError('VALIDATION', `无法读取文件“${file}”。`);
  }
  const { uploadId } = await ctx.call('uploads.begin', { name, size });
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(UPLOAD_CHUNK);
    for (let pos = 0; pos < size; ) {
      const n = fs.readSync(fd, buf, 0, UPLOAD_CHUNK, pos);
      if (n <= 0) break;
      await ctx.call('uploads.chunk', { uploadId, base64: buf.subarray(0, n).toString('base64') });
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  const stored = await ctx.call('uploads.finish', { uploadId });
  return { sha256: stored.sha256, name: stored.name };
}

/**
 * A case file may name officers by username ("officers": ["zhang", "li"]) and attachments by path
 * ({"path": "笔录.pdf"}); paths are relative to the case file and are uploaded into the attachment store.
 */
async function resolveCaseFile(ctx: Ctx, file: string): Promise<Record<string, unknown>> {
  const data = readJson(file);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('VALIDATION', `文件“${file}”应为一个 JSON 对象。`);
  const c = { ...(data as Record<string, unknown>) };
  if (Array.isArray(c.officers)) {
    c.officerIds = c.officers.length ? (await ctx.call('users.byName', { usernames: c.officers.map(String), purpose: 'officer' })).map((u) => u.id) : [];
    delete c.officers;
  }
  if (Array.isArray(c.attachments)) {
    // Refuse bad input before any file is stored.
    await ctx.call('cases.check', { ...c, attachments: [] });
    const out = [];
    for (const a of c.attachments as Record<string, unknown>[]) {
      if (a && typeof a.path === 'string') {
        const p = path.resolve(path.dirname(file), a.path);
        out.push(await uploadFile(ctx, p, typeof a.name === 'string' ? a.name : path.basename(p)));
      } else out.push(a);
    }
    c.attachments = out;
  }
  return c;
}

/** Notes that must not mix into a document written to stdout. */
function warn(ctx: IOCtx, s: string): void {
  ctx.err(s);
}

function numArg(ctx: IOCtx): number {
  const raw = ctx.positionals[0];
  if (!raw || !/^\d+$/.test(raw)) throw new UsageError('缺少会议编号');
  return Number(raw);
}

const FONT_ROLE_LABELS: Record<string, string> = { body: '正文（仿宋）', title: '标题（小标宋）', heading1: '一级标题（黑体）', heading2: '二级标题（楷体）', pageNumber: '页码（宋体）' };

const STANCE_LABELS = { agree: '同意', disagree: '不同意', abstain: '弃权' } as const;

function printMeeting(ctx: IOCtx, m: MeetingView): void {
  if (ctx.json) return ctx.out(jsonText(m, null, 2));
  const lines = [
    `会议 ${m.id}：${m.title}${m.locked ? `（纪要已于 ${cn(m.lockedAt)} 由${m.lockedBy}确认锁定）` : ''}`,
    `时间：${cn(m.scheduledAt)}  地点：${m.place}  主持人：${m.chair}`,
    `出席：${m.attendees.filter((a) => a.present).map((a) => a.name).join('、') || '—'}`,
    `缺席：${m.attendees.filter((a) => a.present === false).map((a) => `${a.name}（${a.absenceReason}）`).join('、') || '—'}`,
    `法定人数：${m.quorumLabel}，应到 ${m.expected} 人，实到 ${m.present} 人，${m.quorumMet ? '已达到' : '未达到'}`,
    `议题：${m.agendaConfirmedAt ? `已由${m.agendaConfirmedBy}于 ${cn(m.agendaConfirmedAt)} 确定` : '待主持人确定'}`,
  ];
  for (const i of m.items) {
    lines.push(`议题${i.seq}：${i.caseNo} ${i.title}（法制机构意见：${i.legalOpinion ? OUTCOME_LABELS[i.legalOpinion] : '—'}）`);
    if (i.handlingStatement) lines.push(`  承办单位汇报：${i.handlingStatement}`);
    if (i.legalStatement) lines.push(`  法制机构意见：${i.legalStatement}`);
    for (const s of i.stances) lines.push(`  ${s.name}：${STANCE_LABELS[s.stance]}${s.reason ? `（${s.reason}）` : ''}`);
    for (const o of i.observers) lines.push(`  ${o.name}：本案${o.part}，列席，不参与表决`);
    for (const r of i.recusals) lines.push(`  ${r.name}：回避（${r.source === 'party' ? '当事人申请' : '本人申请'}：${r.reason}）`);
    if (i.responsibleHeads.length) lines.push(`  未采纳法制审核意见的决定，由表示同意的${i.responsibleHeads.join('、')}承担相应责任（审核办法第十七条）`);
    if (i.dissent) lines.push(`  不同意见：${i.dissent}`);
    if (i.decision) lines.push(`  会议决定：${i.decisionText}`);
    if (i.departsFromMajority) lines.push('  ！会议决定与多数意见不一致');
    if (i.departsFromLegalOpinion) lines.push('  ！会议决定未采纳法制审核意见');
  }
  for (const a of m.amendments) lines.push(`补正（${a.by}，${cn(a.at)}）：${a.text}；理由：${a.reason}`);
  ctx.out(lines.join('\n'));
}

/** 移送涉嫌犯罪案件: where it stands, each step, and its clocks. */
function referralLines(r: NonNullable<CaseDetail['referral']>): string[] {
  const out = [`移送涉嫌犯罪案件（${cn(r.openedAt)}审核认定涉嫌犯罪，不得以罚代刑）：${r.stateLabel}`];
  if (r.report) out.push(`  书面报告（${r.report.by}，${cn(r.report.at)}）：${r.report.text}`);
  if (r.decision) out.push(`  ${r.decision.decisionLabel}（${r.decision.by}，${cn(r.decision.at)}）：${r.decision.reason}`);
  if (r.transfer) out.push(`  移送${r.transfer.police}，抄送${r.transfer.procuratorate}${r.transfer.supervisory ? `、${r.transfer.supervisory}` : ''}（${r.transfer.by}，${cn(r.transfer.at)}）${r.transfer.note ? `：${r.transfer.note}` : ''}`);
  for (const k of r.clocks) out.push(`  ${k.label}：${k.dueLabel}前，${k.remainingLabel}`);
  return out;
}

function printCase(ctx: IOCtx, c: CaseDetail): void {
  if (ctx.json) return ctx.out(jsonText(c, null, 2));
  const last = c.submissions[c.submissions.length - 1];
  const lines = [
    `案件 ${c.id}  ${c.caseNo}  ${c.title}`,
    `状态：${CASE_STATE_LABELS[c.state]}（第${c.round}轮）`,
    `当事人：${c.partyName}`,
    `承办人：${c.responsible.handler}  审核人：${c.responsible.reviewer ?? '—'}  批准人：${c.responsible.approver ?? '—'}`,
  ];
  if (c.headOverride) lines.push('！负责人不采纳法制审核意见作出决定，由其承担相应责任。');
  if (last) lines.push(`拟作出的决定：${last.proposedDecision}${last.fineFen !== null ? `（罚款 ${last.fineCapitals}）` : ''}`);
  if (last) lines.push(...(last.majorLines ?? []));
  for (const x of c.extensionRequests ?? []) {
    const decided = x.decision ? `；${x.decidedBy}${x.decision === 'approve' ? '批准' : '不予批准'}（${cn(x.decidedAt)}）：${x.decisionReason}` : x.open ? '；待批准' : '';
    lines.push(`延期申请（${x.by}，${cn(x.at)}）：${x.reason}${decided}`);
  }
  for (const x of c.expertOpinions ?? []) {
    lines.push(`专家论证（第${x.round}轮${x.reviewKind === 'rereview' ? '复审' : '审核'}，${cn(x.heldOn)}，专家：${x.experts.join('、')}，${x.addedBy}登记）：${x.opinion}${x.file ? `【附：${x.file.name}，SHA-256 ${x.file.sha256}】` : ''}`);
  }
  for (const r of c.reviews) {
    lines.push(`第${r.round}轮审核（${r.reviewer}，${cn(r.issuedAt)}）：${OUTCOME_LABELS[r.outcome]} — ${r.opinion}`);
    for (const f of r.findings) lines.push(`  ${f.criterion}. ${f.title}：${findingLabel(f.criterion, f.result)}${f.reason ? `（${f.reason}）` : ''}`);
  }
  for (const a of c.approvals) {
    lines.push(`审批（${a.head}，${cn(a.decidedAt)}）：${APPROVAL_LABELS[a.decision]} — ${a.opinion}${a.override ? `【不采纳法制审核意见：${a.overrideReason}】` : ''}`);
  }
  if (c.escalation) lines.push(`${c.escalation.kind === 'dispute' ? '复审后仍有异议，提请集体讨论' : '提请集体讨论'}（${c.escalation.by}，${cn(c.escalation.at)}）：${c.escalation.reasons}`);
  for (const e of c.endings) {
    lines.push(`终结意见（${e.kindLabel}，${e.by}，${cn(e.at)}）：${e.reason}`);
    for (const st of e.steps) lines.push(`  ${st.step === 'review' ? '审核' : '批准'}（${st.by}，${cn(st.at)}）：${st.outcome === 'agree' ? '同意' : '不同意'} — ${st.opinion}`);
  }
  if (c.approvalBar) lines.push(`不能由负责人单独批准：${c.approvalBar}`);
  if (c.referral) lines.push(...referralLines(c.referral));
  lines.push('时间线（北京时间）：');
  for (const t of c.timeline) lines.push(`  #${t.seq} ${cn(t.at)} ${t.actor} ${t.label} ${t.summary}`);
  ctx.out(lines.join('\n'));
}

type Command = (ctx: Ctx) => Promise<number | void>;

/** Commands that speak the contract: through the handler table of a core on --db, or of a server (--server). */
const commands: Record<string, Command> = {
  async 'user add'(ctx) {
    await ctx.actor();
    const u = await ctx.call('users.create', readJson(str(ctx, 'file')));
    ctx.out(ctx.json ? jsonText(u) : `已新增用户 ${u.username}（${u.displayName}），编号 ${u.id}，角色：${u.roles.map((r) => ROLE_LABELS[r]).join('、')}`);
  },
  async 'user list'(ctx) {
    await ctx.actor();
    const users = await ctx.call('users.list', {});
    const now = new Date().toISOString();
    ctx.out(ctx.json ? jsonText(users, null, 2) : users.map((u) => `${u.id}\t${u.username}\t${u.displayName}\t${u.roles.map((r) => ROLE_LABELS[r]).join('、')}${u.active ? '' : '\t(已停用)'}${u.lockedUntil && u.lockedUntil > now ? `\t(已锁定至 ${cn(u.lockedUntil)})` : ''}${u.mustChangePassword ? '\t(密码已重置，待本人修改)' : ''}`).join('\n'));
  },
  async 'user roles'(ctx) {
    const target = await userArg(ctx);
    if (typeof ctx.values.set !== 'string') throw new UsageError('请以 --set 给出全部角色，例如 --set handler,reviewer（--set "" 撤销全部角色）');
    const roles = ctx.values.set.split(/[,，\s]+/).filter(Boolean);
    const u = await ctx.call('users.setRoles', { userId: target.id, roles });
    ctx.out(ctx.json ? jsonText(u) : `已调整 ${u.username}（${u.displayName}）的角色：${u.roles.map((r) => ROLE_LABELS[r]).join('、') || '（无）'}`);
  },
  async 'user reset-password'(ctx) {
    const target = await userArg(ctx);
    const password = await readNewPassword(ctx.values, '', ctx.env, true);
    const r = await ctx.call('users.resetPassword', { userId: target.id, ...(password && { password }) });
    if (ctx.json) return ctx.out(jsonText(password ? { user: r.user } : r));
    ctx.out(
      `已重置 ${r.user.username}（${r.user.displayName}）的密码${password ? '' : `，临时密码：${r.temporaryPassword}（只显示这一次，请当面或以安全方式交给本人）`}。` +
        '该用户下次登录须先修改密码，登录时将被告知由谁、何时重置。',
    );
  },
  async 'user unlock'(ctx) {
    const target = await userArg(ctx);
    const u = await ctx.call('users.unlock', { userId: target.id });
    ctx.out(ctx.json ? jsonText(u) : `已解除 ${u.username}（${u.displayName}）的登录锁定。`);
  },
  async 'user passwd'(ctx) {
    if (!ctx.values.as) throw new UsageError('此命令须以 --as 指定本人用户名');
    const current = await readPassword(ctx.values, `用户 ${ctx.values.as} 的当前密码：`, ctx.env);
    // Signing in accepts a reset password still to be changed; changing it is then the one thing allowed.
    const s = await ctx.caller.signIn(String(ctx.values.as), current);
    const next = (await readNewPassword(ctx.values, '新密码：', ctx.env))!;
    await ctx.call('auth.changePassword', { currentPassword: current, newPassword: next });
    ctx.out(ctx.json ? jsonText({ username: s.user.username, changed: true }) : `已修改 ${s.user.username} 的密码。`);
  },
  async 'security show'(ctx) {
    await ctx.actor();
    const s = await ctx.call('settings.auth', {});
    const split = (await ctx.call('app.status', {})).adminSplit!;
    if (ctx.json) return ctx.out(jsonText({ ...s, status: split }, null, 2));
    ctx.out(
      [
        `登录锁定：连续 ${s.maxFailures} 次密码错误锁定 ${s.lockMinutes} 分钟`,
        `空闲超时：${s.idleMinutes} 分钟未操作自动退出`,
        `三员分立：${s.adminSplit ? '实行' : '未实行（已由安全管理员关闭）'}${split.enabled && !split.complete ? `；尚缺：${split.missing.map((r) => ROLE_LABELS[r]).join('、') || '—'}${split.combined.length ? `；兼任：${split.combined.map((u) => `${u.displayName}（${u.roles.map((r) => ROLE_LABELS[r]).join('、')}）`).join('；')}` : ''}` : ''}`,
      ].join('\n'),
    );
  },
  async 'security set'(ctx) {
    await ctx.actor();
    const s = await ctx.call('settings.updateAuth', readJson(str(ctx, 'file')));
    ctx.out(ctx.json ? jsonText(s) : `已更新登录安全设置：连续 ${s.maxFailures} 次错误锁定 ${s.lockMinutes} 分钟，空闲 ${s.idleMinutes} 分钟退出，三员分立${s.adminSplit ? '实行' : '关闭'}。`);
  },
  async 'case submit'(ctx) {
    await ctx.actor();
    const c = await ctx.call('cases.submit', await resolveCaseFile(ctx, str(ctx, 'file')));
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已送审：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'case resubmit'(ctx) {
    const id = await caseIdArg(ctx);
    const c = await ctx.call('cases.resubmit', { caseId: id, case: await resolveCaseFile(ctx, str(ctx, 'file')), changeNote: str(ctx, 'note') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已重新送审：案件 ${c.id}，第${c.round}轮`);
  },
  async 'case show'(ctx) {
    printCase(ctx, await ctx.call('cases.get', { caseId: await caseIdArg(ctx) }));
  },
  async 'case list'(ctx) {
    await ctx.actor();
    const r = await ctx.call('cases.search', { query: str(ctx, 'query', false), ...(ctx.values.state ? { state: ctx.values.state } : {}), limit: 200 });
    ctx.out(ctx.json ? jsonText(r, null, 2) : [r.totalCapped ? `超过 ${r.total} 件（只列出最新的）` : `共 ${r.total} 件`, ...r.items.map((c) => `${c.id}\t${c.caseNo}\t${CASE_STATE_LABELS[c.state]}\t${c.partyName}\t${c.title}`)].join('\n'));
  },
  async 'case report'(ctx) {
    await ctx.actor();
    const source = ctx.positionals[0] ?? 'queue';
    if (source !== 'queue' && source !== 'search') throw new UsageError('case report 后应为 queue（待办）或 search（检索结果）');
    const out = str(ctx, 'out', false);
    const input = source === 'queue' ? { source, xlsx: !!out } : { source, query: str(ctx, 'query', false), ...(ctx.values.state ? { state: ctx.values.state } : {}), xlsx: !!out };
    const r = await ctx.call('cases.report', input);
    if (out && r.base64) fs.writeFileSync(out, Buffer.from(r.base64, 'base64'));
    if (ctx.json) return ctx.out(jsonText({ ...r, base64: undefined, ...(out ? { out } : {}) }, null, 2));
    const lines = [`${r.agencyName ? `${r.agencyName} ` : ''}${r.title}（${r.generatedBy}，${r.generatedAtLabel}，北京时间）`, ...r.conditions];
    lines.push(r.columns.join('\t'), ...r.rows.map((row) => row.join('\t')));
    lines.push(`共 ${r.rows.length} 件${r.capped ? '（只列出最新的）' : ''}${out ? `；已导出到 ${out}` : ''}`);
    ctx.out(lines.join('\n'));
  },
  async 'case take'(ctx) {
    const c = await ctx.call('reviews.take', { caseId: await caseIdArg(ctx) });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已领取案件 ${c.id}（${c.caseNo}）`);
  },
  async 'case close'(ctx) {
    const c = await ctx.call('cases.close', { caseId: await caseIdArg(ctx) });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `案件 ${c.id} 已办结`);
  },
  async queue(ctx) {
    await ctx.actor();
    const q = await ctx.call('cases.queue', {});
    if (ctx.json) return ctx.out(jsonText(q, null, 2));
    // The same answer as the app's 待办: first-run steps, meetings, cases, then the handler's own open cases.
    const lines = [
      ...(q.setup ?? []).filter((s) => !s.done).map((s) => `初始设置\t${s.label}\t${s.detail}`),
      ...q.meetings.map((m) => `会议 ${m.meetingId}\t${m.title}\t${m.reason}`),
      ...q.items.map((i) => `${i.id}\t${i.caseNo}\t${i.reason}${i.reviewClock ? `（${i.reviewClock.remainingLabel}${i.reviewClock.provisional ? '，待官方安排确认' : ''}）` : ''}\t${i.title}`),
    ];
    const mine = (q.mine ?? []).map((c) => `${c.id}\t${c.caseNo}\t${c.progress}${c.clock ? `（${c.clock.label}：${c.clock.remainingLabel}${c.clock.provisional ? '，待官方安排确认' : ''}）` : ''}\t${c.title}`);
    ctx.out([lines.length ? lines.join('\n') : '暂无待办事项', ...(mine.length ? ['我送审的在办案件：', ...mine] : [])].join('\n'));
  },
  async review(ctx) {
    const body = readJson(str(ctx, 'file'));
    const c = await ctx.call('reviews.issue', { ...(body as object), caseId: await caseIdArg(ctx) });
    const r = c.reviews[c.reviews.length - 1];
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已出具第${r.round}轮审核意见：${OUTCOME_LABELS[r.outcome]}`);
  },
  async approve(ctx) {
    const reason = str(ctx, 'override-reason', false);
    const caseId = await caseIdArg(ctx);
    const c = await ctx.call('approvals.decide', {
      caseId,
      decision: str(ctx, 'decision'),
      opinion: str(ctx, 'opinion'),
      ...(reason && { override: { declared: true, reason } }),
    });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `案件 ${c.id}：${CASE_STATE_LABELS[c.state]}${c.headOverride ? '（不采纳法制审核意见）' : ''}`);
  },
  async 'audit log'(ctx) {
    const limit = ctx.values.limit ? Number(ctx.values.limit) : 50;
    await ctx.actor();
    const items = await ctx.call('audit.events', { limit, ...(typeof ctx.values.action === 'string' && { action: ctx.values.action }) });
    if (ctx.json) return ctx.out(jsonText(items, null, 2));
    ctx.out(items.length ? items.map((e) => `#${e.seq}\t${cn(e.at)}\t${e.actor}\t${e.label}${e.caseId ? `\t案件 ${e.caseId}` : ''}\t${JSON.stringify(e.payload)}`).join('\n') : '没有符合条件的记录。');
  },
  async 'audit alarms'(ctx) {
    await ctx.actor();
    const items = await ctx.call('audit.alarms', ctx.values.all === true ? { all: true } : {});
    if (ctx.json) return ctx.out(jsonText(items, null, 2));
    if (!items.length) return ctx.out(ctx.values.all ? '没有记录校验警报。' : '没有未确认的记录校验警报。');
    ctx.out(
      items
        .map((a) => `#${a.id}\t${cn(a.raisedAt)}\t${a.raisedBy}（${a.raisedThrough === 'lrw' ? '命令行' : '应用'}${a.quick ? '，快速校验' : ''}）\t${a.message}` +
          (a.acknowledged ? `\t已由${a.acknowledged.by}于 ${cn(a.acknowledged.at)} 确认：${a.acknowledged.reason}` : '\t未确认'))
        .join('\n'),
    );
  },
  async 'audit ack'(ctx) {
    await ctx.actor();
    const a = await ctx.call('audit.alarmAck', { alarmId: Number(str(ctx, 'alarm')), reason: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(a, null, 2) : `已确认第 ${a.id} 号记录校验警报（${a.message}）。理由：${a.acknowledged!.reason}`);
  },
  async deadline(ctx) {
    // Public reckoning: no sign-in needed (a server may still ask for one: then --as).
    if (ctx.values.as) await ctx.actor();
    const r = await ctx.call('deadlines.compute', { from: str(ctx, 'from'), days: Number(str(ctx, 'days')), mode: ctx.values.natural ? 'natural' : 'working' });
    if (ctx.json) return ctx.out(jsonText(r, null, 2));
    const lines = [
      `起算日 ${formatChineseDate(r.from)}（当日不计），${r.days}个${r.mode === 'working' ? '工作日' : '自然日'}：届满日 ${formatChineseDate(r.due)}${r.provisional ? `（${PROVISIONAL_LABEL}）` : ''}`,
      `计入的日期：${r.counted.join('、')}`,
    ];
    if (r.postponedFrom) lines.push(`期限末日 ${cn(r.postponedFrom)} 为休息日，顺延至 ${cn(r.due)}。`);
    if (r.provisional) lines.push(`注意：所涉年份尚未录入国务院节假日安排，结果按法定节日推算，${PROVISIONAL_LABEL}。`);
    ctx.out(lines.join('\n'));
  },
  async 'calendar show'(ctx) {
    const year = Number(ctx.positionals[0]);
    if (!Number.isInteger(year)) throw new UsageError('请给出年份，例如 lrw calendar show 2026');
    if (ctx.values.as) await ctx.actor();
    const info = await ctx.call('calendar.show', { year });
    if (ctx.json) return ctx.out(jsonText(info, null, 2));
    ctx.out(
      [
        `${year}年 节假日安排${info.provisional ? `（${PROVISIONAL_LABEL}）` : ''}`,
        `来源：${info.source}`,
        '放假：',
        ...info.holidays.map((h) => `  ${h.date} ${h.name}`),
        '调休上班：',
        ...(info.workdays.length ? info.workdays.map((h) => `  ${h.date} ${h.name}`) : ['  （无）']),
      ].join('\n'),
    );
  },
  async 'calendar import'(ctx) {
    const file = ctx.positionals[0] ?? str(ctx, 'file');
    await ctx.actor();
    const info = await ctx.call('calendar.import', readJson(file));
    ctx.out(ctx.json ? jsonText(info, null, 2) : `已录入${info.year}年节假日安排：放假 ${info.holidays.length} 天，调休上班 ${info.workdays.length} 天。`);
  },
  async overdue(ctx) {
    await ctx.actor();
    const items = await ctx.call('deadlines.overdue', {});
    if (ctx.json) return ctx.out(jsonText(items, null, 2));
    ctx.out(items.length ? items.map((i) => `${i.caseId}\t${i.caseNo}\t${i.clock.remainingLabel}\t届满 ${i.clock.dueLabel}${i.clock.provisional ? `（${PROVISIONAL_LABEL}）` : ''}\t审核人 ${i.reviewer ?? '未领取'}`).join('\n') : '没有逾期或即将到期的审核。');
  },
  async extend(ctx) {
    const clocks = await ctx.call('deadlines.extend', { caseId: await caseIdArg(ctx), reason: str(ctx, 'reason') });
    const c = clocks.find((k) => k.extension && k.state !== 'done');
    ctx.out(ctx.json ? jsonText(clocks, null, 2) : `已延长审核期限${c?.extension?.days ?? ''}日，届满日 ${c?.dueLabel ?? ''}。`);
  },
  async 'extend request'(ctx) {
    const c = await ctx.call('deadlines.requestExtension', { caseId: await caseIdArg(ctx), reason: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已申请延长审核期限：案件 ${c.id}（${c.caseNo}），待${EXTENSION_APPROVER_LABELS[(await ctx.call('settings.review', {})).extensionApprover]}批准`);
  },
  async 'extend approve'(ctx) {
    const c = await ctx.call('deadlines.decideExtension', { caseId: await caseIdArg(ctx), decision: 'approve', reason: str(ctx, 'reason') });
    const k = c.clocks.find((x) => x.extension && x.endedAt === null);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已批准延长审核期限${k?.extension?.days ?? ''}日，届满日 ${k?.dueLabel ?? ''}。`);
  },
  async 'extend refuse'(ctx) {
    const c = await ctx.call('deadlines.decideExtension', { caseId: await caseIdArg(ctx), decision: 'refuse', reason: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已不予批准延长审核期限：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'user exempt'(ctx) {
    if (!ctx.positionals[0]) throw new UsageError('缺少用户名，例如 lrw user exempt li --note 说明');
    const target = await userArg(ctx);
    const u = await ctx.call('users.exemptReviewer', { userId: target.id, note: str(ctx, 'note') });
    ctx.out(ctx.json ? jsonText(u) : `已登记：${u.displayName}（${u.username}）于2021年7月15日前已从事行政处罚决定法制审核，可不具法律职业资格领取处罚案件。`);
  },
  async 'settings review'(ctx) {
    await ctx.actor();
    const flag = str(ctx, 'review-all', false);
    const approver = str(ctx, 'extension-approver', false);
    if (flag && flag !== 'on' && flag !== 'off') throw new UsageError('--review-all 应为 on 或 off');
    const s = flag || approver
      ? await ctx.call('settings.updateReview', { ...(flag && { reviewAllDecisions: flag === 'on' }), ...(approver && { extensionApprover: approver }) })
      : await ctx.call('settings.review', {});
    ctx.out(
      ctx.json
        ? jsonText(s)
        : `对简易程序以外的所有执法决定进行法制审核：${s.reviewAllDecisions ? '是' : '否'}\n延长审核期限的批准人：${EXTENSION_APPROVER_LABELS[s.extensionApprover]}`,
    );
  },
  async 'expert add'(ctx) {
    // expert.json: { experts, heldOn, opinion, file? } — file is a path relative to expert.json, uploaded in chunks.
    const caseId = await caseIdArg(ctx);
    const file = str(ctx, 'file');
    const data = readJson(file);
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('VALIDATION', `文件“${file}”应为一个 JSON 对象。`);
    const x: Record<string, unknown> = { ...(data as Record<string, unknown>), caseId };
    if (typeof x.file === 'string') {
      const p = path.resolve(path.dirname(file), x.file);
      // Refuse bad input before the file is stored.
      const { file: _file, ...rest } = x;
      await ctx.call('experts.check', rest);
      x.file = await uploadFile(ctx, p, path.basename(p));
    }
    const v = await ctx.call('experts.add', x);
    ctx.out(ctx.json ? jsonText(v, null, 2) : `已登记专家论证意见：案件 ${caseId}，第${v.round}轮${v.reviewKind === 'rereview' ? '复审' : '审核'}，专家 ${v.experts.join('、')}（${cn(v.heldOn)}）${v.file ? `，附 ${v.file.name}` : ''}`);
  },
  async 'service add'(ctx) {
    // service.json: { method, recipient, servedOn, documentId | documentName, the method's particulars, files?: [path…] } — paths relative to service.json.
    const { caseId, x } = await recordWithFiles(ctx, 'enforcement.checkService');
    const c = await ctx.call('enforcement.service', x);
    const s = c.enforcement?.services.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记送达：案件 ${caseId}，${s?.documentName ?? ''}${s?.methodLabel ?? ''}，受送达人${s?.recipient ?? ''}（${s ? formatChineseDate(s.servedOn) : ''}）${enforcementTail(c)}`);
  },
  async 'execution add'(ctx) {
    // execution.json: { step, onDate, text, amount? (paid), measure? avRecord? (enforced), files?: [path…] }.
    const { caseId, x } = await recordWithFiles(ctx, 'enforcement.checkExecution');
    const c = await ctx.call('enforcement.execution', x);
    const e = c.enforcement?.executions.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记${e?.stepLabel ?? ''}：案件 ${caseId}（${e ? formatChineseDate(e.onDate) : ''}）${e?.amountLabel ? `，${e.amountLabel}` : ''}${enforcementTail(c)}`);
  },
  async archive(ctx) {
    const caseId = await caseIdArg(ctx);
    const name = str(ctx, 'custodian');
    const [keeper] = await ctx.call('users.byName', { usernames: [name] });
    ctx.err('正在组卷（生成案卷 PDF 与全过程记录摘录）…');
    const c = await ctx.call('archive.transfer', { caseId, custodianId: keeper.id });
    const m = c.caseFile?.archived?.manifest;
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已归档：案件 ${c.id}（${c.caseNo}），${m?.entries.length ?? 0}件，案卷共${m?.pdf.pages ?? 0}页，移交档案管理员${c.caseFile?.archived?.custodian ?? ''}（待其接收：lrw archive receive ${c.id} --as ${keeper.username}）`);
  },
  async 'archive receive'(ctx) {
    const c = await ctx.call('archive.receive', { caseId: await caseIdArg(ctx), note: str(ctx, 'note', false) });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已接收案卷：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'archive supplement'(ctx) {
    // supplement.json: { kind: correction|withdrawal|inspection|other, title, text, files?: [path…] } — paths relative to it.
    const { caseId, x } = await recordWithFiles(ctx, 'archive.checkSupplement');
    const c = await ctx.call('archive.supplement', x);
    const s = c.caseFile?.archived?.supplements.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已补充归档：案件 ${caseId}，第${s?.no ?? ''}件 ${s?.title ?? ''}（${s?.kindLabel ?? ''}）`);
  },
  async 'casefile export'(ctx) {
    const caseId = await caseIdArg(ctx);
    const out = path.resolve(str(ctx, 'out'));
    if (fs.existsSync(out) && fs.readdirSync(out).length) throw new UsageError(`目录“${out}”不是空目录：请指定新的或空的目录，导出不会覆盖已有文件`);
    const ex = await ctx.call('casefile.manifest', { caseId });
    let done = 0;
    for (const f of ex.files) {
      const target = path.join(out, f.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const fd = fs.openSync(target, 'wx');
      try {
        let offset: number | null = 0;
        while (offset !== null) {
          const c: { base64: string; next: number | null } = await ctx.call('casefile.chunk', { caseId, sha256: f.sha256, offset });
          fs.writeSync(fd, Buffer.from(c.base64, 'base64'));
          offset = c.next;
        }
      } finally {
        fs.closeSync(fd);
      }
      done++;
      if (!ctx.json) ctx.err(`  ${done}/${ex.files.length} ${f.path}`);
    }
    fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(ex, null, 2)}\n`, { flag: 'wx' });
    ctx.out(ctx.json ? jsonText({ out, files: ex.files.length }) : `已导出案卷：${out}（案卷.pdf 共${ex.manifest.pdf.pages}页，${ex.files.length}个文件，清单 manifest.json；核对：lrw casefile verify ${out}）`);
  },
  async 'casefile verify'(ctx) {
    const dir = ctx.positionals[0];
    if (!dir) throw new UsageError('缺少导出的案卷目录，例如 lrw casefile verify ./案卷 --as 用户');
    const exported = readJson(path.join(dir, 'manifest.json')) as { manifest?: { caseNo?: unknown } } | null;
    const caseNo = exported?.manifest?.caseNo;
    if (typeof caseNo !== 'string') throw new AppError('VALIDATION', `“${path.join(dir, 'manifest.json')}”不是本系统导出的案卷清单。`);
    const recorded = await ctx.call('casefile.manifest', { caseId: await caseRef(ctx, caseNo) });
    const r = compareExport(recorded, exported, (p) => {
      const file = path.join(dir, p);
      if (!fs.existsSync(file)) return null;
      const b = fs.readFileSync(file);
      return { sha256: createHash('sha256').update(b).digest('hex'), size: b.length };
    });
    if (ctx.json) ctx.out(jsonText({ ok: r.problems.length === 0, ...r }));
    else {
      ctx.out(r.problems.length ? `案卷与记录不一致（${caseNo}）：\n${r.problems.map((x) => `  ${x}`).join('\n')}` : `案卷与记录一致：${caseNo}，${recorded.files.length}个文件的 SHA-256 均与归档时相同。`);
      for (const n of r.notes) ctx.out(`  注意：${n}`);
    }
    return r.problems.length ? 4 : 0;
  },
  async 'inspection list'(ctx) {
    await ctx.actor();
    const rows = await ctx.call('inspections.cases', {});
    ctx.out(ctx.json ? jsonText(rows, null, 2) : rows.length ? rows.map((r) => `${r.id}\t${r.caseNo}\t${r.title}\t${r.kindLabel}\t承办人 ${r.handler}\t归档 ${cn(r.archivedAt)}\t评查 ${r.inspections} 次${r.awaitingReply ? `（${r.awaitingReply} 项待答复）` : ''}`).join('\n') : '没有已归档的案卷。');
  },
  async 'inspection add'(ctx) {
    // inspection.json: { result: excellent|pass|fail, findings, requests?: [整改要求…] }.
    const caseId = await caseIdArg(ctx);
    const data = readJson(str(ctx, 'file'));
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AppError('VALIDATION', '评查意见文件应为一个 JSON 对象。');
    const c = await ctx.call('inspections.record', { ...(data as Record<string, unknown>), caseId } as never);
    const i = c.inspections?.items.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记案卷评查：案件 ${c.id}（${c.caseNo}），评查意见 ${i?.id ?? ''}，结论${i?.resultLabel ?? ''}${i?.requests.length ? `，整改要求${i.requests.length}项，待承办人或法制机构负责人答复（lrw inspection reply ${i.id} --text 答复 --as 用户）` : ''}`);
  },
  async 'inspection reply'(ctx) {
    const raw = ctx.positionals[0];
    if (!raw || !/^\d+$/.test(raw)) throw new UsageError('缺少评查意见编号，例如 lrw inspection reply 1 --text 整改情况 --as 承办人');
    await ctx.actor();
    const c = await ctx.call('inspections.reply', { inspectionId: Number(raw), text: str(ctx, 'text') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已答复评查意见 ${raw}：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'filing export'(ctx) {
    const caseId = await caseIdArg(ctx);
    const out = path.resolve(str(ctx, 'out'));
    const f = await ctx.call('filings.package', { caseId });
    fs.writeFileSync(out, Buffer.from(f.base64, 'base64'), { flag: 'wx' });
    ctx.out(ctx.json ? jsonText({ out, name: f.name }) : `已导出备案材料：${out}（${f.name}；签名可用 lrw verify ${out} 校验）`);
  },
  async 'filing record'(ctx) {
    // filing.json: { filedOn: YYYY-MM-DD, recipients: [接收机关…], note? }.
    const caseId = await caseIdArg(ctx);
    const c = await ctx.call('filings.record', { ...jsonObject(str(ctx, 'file')), caseId } as never);
    const fl = c.filing?.filings.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记报送备案：案件 ${c.id}（${c.caseNo}），备案编号 ${fl?.id ?? ''}，${fl ? formatChineseDate(fl.filedOn) : ''}报送${fl?.recipients.join('、') ?? ''}（审查意见：lrw filing respond ${fl?.id ?? ''} --file response.json）`);
  },
  async 'filing respond'(ctx) {
    // response.json: { recipient, result: accepted|correct|revoked, receivedOn: YYYY-MM-DD, text }.
    const filingId = numberArg(ctx, '备案编号', 'lrw filing respond 1 --file response.json --as 法制机构负责人');
    await ctx.actor();
    const c = await ctx.call('filings.respond', { ...jsonObject(str(ctx, 'file')), filingId } as never);
    const r = c.filing?.filings.find((x) => x.id === filingId)?.responses.at(-1);
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记审查意见：案件 ${c.id}（${c.caseNo}），${r?.recipient ?? ''}：${r?.resultLabel ?? ''}${r?.result === 'correct' ? `（审查意见编号 ${r.id}；改正后登记：lrw filing correct ${r.id} --text 改正情况）` : ''}`);
  },
  async 'filing correct'(ctx) {
    const responseId = numberArg(ctx, '审查意见编号', 'lrw filing correct 1 --text 改正情况 --as 承办人');
    await ctx.actor();
    const c = await ctx.call('filings.correct', { responseId, text: str(ctx, 'text') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记改正情况：案件 ${c.id}（${c.caseNo}），审查意见 ${responseId}`);
  },
  async 'settings filing'(ctx) {
    await ctx.actor();
    const list = str(ctx, 'recipients', false);
    const s = list
      ? await ctx.call('filings.updateSettings', { recipients: list.split(/[,，、]/).map((x) => x.trim()).filter(Boolean) })
      : await ctx.call('filings.settings', {});
    ctx.out(ctx.json ? jsonText(s) : `默认的备案接收机关：${s.recipients.join('、')}`);
  },
  async 'catalog show'(ctx) {
    await ctx.actor();
    const v = await ctx.call('catalog.versions', {});
    const want = str(ctx, 'version', false);
    if (want) {
      if (!/^\d+$/.test(want)) throw new UsageError('--version 应为版本号，例如 --version 2');
      const items = Number(want) === v.current.version ? v.current.items : v.proposals.find((p) => p.filing?.catalogVersion === Number(want))?.items;
      if (!items) throw new AppError('NOT_FOUND', `目录清单第${want}版的事项只能在现行版本或经备案生效的调整方案中查看。`);
      return ctx.out(ctx.json ? jsonText(items, null, 2) : items.map((i) => `${i.code}\t${i.label}`).join('\n'));
    }
    if (ctx.json) return ctx.out(jsonText(v, null, 2));
    const lines = [`现行目录清单：第${v.current.version}版，${v.current.items.length}项`];
    for (const i of v.current.items) lines.push(`  ${i.code}\t${i.label}`);
    lines.push('版本：', ...v.versions.map((x) => `  第${x.version}版\t${cn(x.createdAt)}\t${x.items}项\t${x.note}`));
    if (v.proposals.length) lines.push('调整方案：', ...v.proposals.map((p) => `  ${p.id}\t基于第${p.baseVersion}版\t${p.state === 'filed' ? `已报送备案，第${p.filing?.catalogVersion ?? ''}版生效（备案编号 ${p.filing?.id ?? ''}）` : p.state === 'pending' ? '待报送备案（未生效）' : '已被新版本取代，不能生效'}\t${p.note}\n${p.changes.map((c) => `      ${c}`).join('\n')}`));
    ctx.out(lines.join('\n'));
  },
  async 'catalog edit'(ctx) {
    // catalog.json: the whole new catalog, [ { code, kind, label, minFineFen?, partyType?, seal?, hearing?, catchAll? } … ]
    // (or { items: [...] }); based on the version in force. `lrw catalog show --version N --json` prints one to start from.
    await ctx.actor();
    const file = str(ctx, 'file');
    const data = readJson(file) as unknown;
    const items = Array.isArray(data) ? data : (data as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) throw new AppError('VALIDATION', `文件“${file}”应为目录事项的 JSON 列表（或含 items 列表的对象）。`);
    const base = await ctx.call('catalog.versions', {});
    const v = await ctx.call('catalog.propose', { baseVersion: base.current.version, items, note: str(ctx, 'note') } as never);
    const p = v.proposals[0];
    ctx.out(ctx.json ? jsonText(p, null, 2) : `已拟定目录清单调整方案 ${p.id}（基于第${p.baseVersion}版，报送备案后生效）：\n${p.changes.map((c) => `  ${c}`).join('\n')}\n报送备案后登记：lrw catalog file ${p.id} --file filing.json`);
  },
  async 'catalog file'(ctx) {
    // filing.json: { filedOn: YYYY-MM-DD, recipients: [接收机关…], note? }.
    const proposalId = numberArg(ctx, '调整方案编号', 'lrw catalog file 1 --file filing.json --as 系统管理员');
    await ctx.actor();
    const v = await ctx.call('catalog.file', { ...jsonObject(str(ctx, 'file')), proposalId } as never);
    const p = v.proposals.find((x) => x.id === proposalId);
    ctx.out(ctx.json ? jsonText(v.current, null, 2) : `已登记报送备案（备案编号 ${p?.filing?.id ?? ''}）：目录清单第${v.current.version}版即日生效，此后送审的案件按此版认定。`);
  },
  async 'catalog respond'(ctx) {
    // response.json: { recipient, result: accepted|correct|revoked, receivedOn: YYYY-MM-DD, text }.
    const filingId = numberArg(ctx, '备案编号', 'lrw catalog respond 1 --file response.json --as 系统管理员');
    await ctx.actor();
    const v = await ctx.call('catalog.respond', { ...jsonObject(str(ctx, 'file')), filingId } as never);
    const r = v.proposals.flatMap((p) => (p.filing?.id === filingId ? p.filing.responses : [])).at(-1);
    ctx.out(ctx.json ? jsonText(v, null, 2) : `已登记审查意见：${r?.recipient ?? ''}：${r?.resultLabel ?? ''}；现行目录清单第${v.current.version}版`);
  },
  async stats(ctx) {
    await ctx.actor();
    const xlsx = str(ctx, 'xlsx', false);
    const s = await ctx.call('stats.show', { from: str(ctx, 'from'), to: str(ctx, 'to'), xlsx: !!xlsx });
    if (xlsx) fs.writeFileSync(xlsx, Buffer.from(s.base64!, 'base64'));
    if (ctx.json) return ctx.out(jsonText({ ...s, base64: undefined }, null, 2));
    const lines = [`${s.agencyName} 统计（${formatChineseDate(s.from)}至${formatChineseDate(s.to)}，北京时间）`];
    for (const f of s.figures) lines.push(`  ${f.label}：${f.value ?? '—'}${f.value === null ? '' : f.unit}\t（${f.source}）`);
    if (s.meetsReviewerRatio === false) lines.push('  注意：法制审核人员不足执法人员的5%（004 三(五)）');
    lines.push('按决定类型（送审／审核意见：同意、退回、不同意／批准、不予批准）：');
    for (const k of s.byKind) if (k.submitted || k.opinions || k.approved || k.rejected) lines.push(`  ${k.kindLabel}：${k.submitted}／${k.opinions}：${k.agree}、${k.return}、${k.disagree}／${k.approved}、${k.rejected}`);
    if (s.returnReasons.length) lines.push(`退回原因：${s.returnReasons.map((r) => `${r.title}（${r.count}次）`).join('；')}`);
    if (xlsx) lines.push(`已导出 Excel：${xlsx}`);
    ctx.out(lines.join('\n'));
  },
  async 'settings uploads'(ctx) {
    const mib = str(ctx, 'max-mib', false);
    if (mib || ctx.values.as) await ctx.actor();
    const v = mib ? await ctx.call('settings.updateUploads', { maxUploadBytes: Number(mib) * 1024 * 1024 }) : await ctx.call('settings.uploads', {});
    ctx.out(ctx.json ? jsonText(v, null, 2) : `单个文件上传上限：${bytesText(v.maxUploadBytes)}；未完成的上传${v.abandonAfterHours}小时无进展即清除。`);
  },
  async 'rereview request'(ctx) {
    const c = await ctx.call('rereview.request', { caseId: await caseIdArg(ctx), reasons: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已申请复审：案件 ${c.id}（${c.caseNo}）`);
  },
  async escalate(ctx) {
    const c = await ctx.call('cases.escalate', { caseId: await caseIdArg(ctx), reasons: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已提请负责人会议集体讨论：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'discussion propose'(ctx) {
    const c = await ctx.call('cases.propose', { caseId: await caseIdArg(ctx), reasons: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已提请负责人会议集体讨论：案件 ${c.id}（${c.caseNo}）`);
  },
  async 'case revise'(ctx) {
    const id = await caseIdArg(ctx);
    const c = await ctx.call('cases.revise', { caseId: id, case: await resolveCaseFile(ctx, str(ctx, 'file')), changeNote: str(ctx, 'note') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已修改处理方案并重新送审：案件 ${c.id}，第${c.round}轮（新的处理方案，第${c.cycle}次）`);
  },
  async 'case end'(ctx) {
    const c = await ctx.call('cases.proposeEnding', { caseId: await caseIdArg(ctx), kind: str(ctx, 'kind', false) || 'no_penalty', reason: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已提出${c.endings.at(-1)?.kindLabel ?? '终结'}意见：案件 ${c.id}（${c.caseNo}），待法制审核人员审核`);
  },
  async 'ending review'(ctx) {
    const c = await ctx.call('cases.reviewEnding', { caseId: await caseIdArg(ctx), outcome: str(ctx, 'outcome'), opinion: str(ctx, 'opinion') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已审核终结意见：案件 ${c.id}，${CASE_STATE_LABELS[c.state]}`);
  },
  async 'ending approve'(ctx) {
    const c = await ctx.call('cases.decideEnding', { caseId: await caseIdArg(ctx), outcome: str(ctx, 'outcome'), opinion: str(ctx, 'opinion') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `案件 ${c.id}：${CASE_STATE_LABELS[c.state]}`);
  },
  async 'referral report'(ctx) {
    const c = await ctx.call('referrals.report', { caseId: await caseIdArg(ctx), report: str(ctx, 'text') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已提出移送涉嫌犯罪案件的书面报告：案件 ${c.id}（${c.caseNo}），${c.referral?.stateLabel ?? ''}`);
  },
  async 'referral decide'(ctx) {
    const c = await ctx.call('referrals.decide', { caseId: await caseIdArg(ctx), decision: str(ctx, 'decision'), reason: str(ctx, 'reason') });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `案件 ${c.id}（${c.caseNo}）：${c.referral?.decision?.decisionLabel ?? ''}，${c.referral?.stateLabel ?? ''}`);
  },
  async 'referral transfer'(ctx) {
    const c = await ctx.call('referrals.transfer', {
      caseId: await caseIdArg(ctx),
      police: str(ctx, 'police'),
      procuratorate: str(ctx, 'procuratorate'),
      supervisory: str(ctx, 'supervisory', false) || undefined,
      note: str(ctx, 'note', false) || '',
    });
    ctx.out(ctx.json ? jsonText(c, null, 2) : `已登记移送：案件 ${c.id}（${c.caseNo}）${c.referral?.stateLabel ?? ''}`);
  },
  async 'meeting agenda'(ctx) {
    const meetingId = numArg(ctx);
    await ctx.actor();
    printMeeting(ctx, await ctx.call('meetings.confirmAgenda', { meetingId }));
  },
  async 'meeting recuse'(ctx) {
    const meetingId = numArg(ctx);
    const caseId = await caseRef(ctx, str(ctx, 'case'));
    const [who] = await ctx.call('users.byName', { usernames: [str(ctx, 'user')] });
    printMeeting(ctx, await ctx.call('meetings.recuse', { meetingId, caseId, userId: who.id, source: str(ctx, 'source', false) || 'self', reason: str(ctx, 'reason') }));
  },
  async 'meeting list'(ctx) {
    await ctx.actor();
    const list = await ctx.call('meetings.list', {});
    ctx.out(ctx.json ? jsonText(list, null, 2) : list.length ? list.map((m) => `${m.id}\t${cn(m.scheduledAt)}\t${m.title}\t主持：${m.chair}\t议题 ${m.items} 项${m.locked ? '\t已锁定' : ''}`).join('\n') : '暂无会议');
  },
  async 'meeting create'(ctx) {
    await ctx.actor();
    const m = await ctx.call('meetings.create', readJson(str(ctx, 'file')));
    ctx.out(ctx.json ? jsonText(m, null, 2) : `已创建会议 ${m.id}：${m.title}`);
  },
  async 'meeting show'(ctx) {
    const meetingId = numArg(ctx);
    await ctx.actor();
    printMeeting(ctx, await ctx.call('meetings.get', { meetingId }));
  },
  async 'meeting record'(ctx) {
    const body = readJson(str(ctx, 'file'));
    const meetingId = numArg(ctx);
    await ctx.actor();
    printMeeting(ctx, await ctx.call('meetings.save', { ...(body as object), meetingId }));
  },
  async 'meeting decide'(ctx) {
    const meetingId = numArg(ctx);
    const caseId = await caseRef(ctx, str(ctx, 'case'));
    printMeeting(ctx, await ctx.call('meetings.decide', { meetingId, caseId, decision: str(ctx, 'decision'), decisionText: str(ctx, 'text') }));
  },
  async 'meeting lock'(ctx) {
    const meetingId = numArg(ctx);
    await ctx.actor();
    printMeeting(ctx, await ctx.call('meetings.lock', { meetingId }));
  },
  async 'meeting amend'(ctx) {
    const meetingId = numArg(ctx);
    await ctx.actor();
    printMeeting(ctx, await ctx.call('meetings.amend', { meetingId, text: str(ctx, 'text'), reason: str(ctx, 'reason') }));
  },
  async 'template list'(ctx) {
    await ctx.actor();
    const list = await ctx.call('templates.list', {});
    ctx.out(
      ctx.json
        ? jsonText(list)
        : list.map((t) => `${t.id}\t${t.title}\t版式：${LAYOUT_PROFILE_LABELS[t.layout]}${t.origin === 'custom' ? '\t（管理员修改的副本）' : ''}`).join('\n'),
    );
  },
  async 'template layout'(ctx) {
    const [templateId, layout] = ctx.positionals;
    if (!templateId || !layout) throw new UsageError(`用法：lrw template layout 模板 ${LAYOUT_PROFILES.join('|')} --as 系统管理员`);
    await ctx.actor();
    const r = await ctx.call('templates.setLayout', { templateId, layout });
    ctx.out(ctx.json ? jsonText(r) : `已将文书模板 ${r.templateId} 的版式设为“${LAYOUT_PROFILE_LABELS[r.layout]}”（此后生成的文书按此版式排版，已签发的文书不变）。`);
  },
  async render(ctx) {
    const templateId = ctx.positionals[0];
    if (!templateId) throw new UsageError('请给出文书模板标识，例如 lrw render review-opinion --case 1');
    const caseId = await caseRef(ctx, str(ctx, 'case'));
    const draft = ctx.values.draft ? (readJson(str(ctx, 'draft')) as Record<string, unknown>) : undefined;
    const out = str(ctx, 'out', false);
    let todo: string[];
    if (ctx.values.pdf || ctx.values.docx) {
      if (!out) throw new UsageError('生成 PDF 或 Word 文件须以 --out 指定输出文件');
      const f = await ctx.call('documents.render', { caseId, templateId, ...(draft && { draft }), format: ctx.values.pdf ? 'pdf' : 'docx' });
      fs.writeFileSync(out, Buffer.from(f.base64, 'base64'));
      ctx.out(`已写出 ${out}（草稿，未签名；签发请先定稿，再用 lrw issue）`);
      todo = [...f.missing.map((m) => m.label), ...f.placeholders.map((x) => `待填写：${x.label}`)];
    } else {
      const p = await ctx.call('documents.preview', { caseId, templateId, ...(draft && { draft }) });
      const body = ctx.json ? jsonText(p, null, 2) : modelToText(p.model);
      if (out) {
        fs.writeFileSync(out, body);
        ctx.out(`已写出 ${out}`);
      } else ctx.out(body);
      todo = [...p.missing.map((m) => m.label), ...p.placeholders.map((x) => `待填写：${x.label}`)];
    }
    if (todo.length) warn(ctx, `提示：文书尚不完整——${todo.join('；')}`);
  },
  async finalize(ctx) {
    const templateId = ctx.positionals[0];
    if (!templateId) throw new UsageError('请给出文书模板标识，例如 lrw finalize review-opinion --case 1');
    const caseId = await caseRef(ctx, str(ctx, 'case'));
    const draft = ctx.values.draft ? (readJson(str(ctx, 'draft')) as Record<string, unknown>) : undefined;
    const p = await ctx.call('documents.preview', { caseId, templateId, ...(draft && { draft }) });
    await ctx.call('documents.save', { caseId, templateId, model: p.model, ...(draft && { draft }), note: '由 lrw 生成' });
    const v = await ctx.call('documents.finalize', { caseId, templateId });
    ctx.out(ctx.json ? jsonText(v, null, 2) : `已定稿：${v.model.title} 第${v.version}版${v.docNumber ? `（${v.docNumber}）` : ''}`);
  },
  async issue(ctx) {
    const templateId = ctx.positionals[0];
    if (!templateId) throw new UsageError('请给出文书模板标识，例如 lrw issue review-opinion --case 1');
    const caseId = await caseRef(ctx, str(ctx, 'case'));
    const files = await ctx.call('documents.issue', { caseId, templateId });
    const dir = str(ctx, 'out', false);
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      for (const f of files) fs.writeFileSync(path.join(dir, f.name), Buffer.from((await ctx.call('documents.download', { issuedId: f.id })).base64, 'base64'));
    }
    ctx.out(ctx.json ? jsonText(files, null, 2) : files.map((f) => `已签发 ${f.name}  SHA-256 ${f.sha256}`).join('\n') + (dir ? `\n已保存到 ${dir}` : ''));
  },
  async 'identity trial'(ctx) {
    await ctx.actor();
    const id = await ctx.call('signing.createTrial', {});
    ctx.out(ctx.json ? jsonText(id, null, 2) : `已生成试用签名证书：${id.subjectCN}，有效期至 ${cnDay(id.notAfter)}（口令已存入系统钥匙串）`);
  },
  async 'identity import'(ctx) {
    const file = ctx.positionals[0] ?? str(ctx, 'file');
    const passphrase = ctx.values['p12-passphrase-env'] ? ctx.env[String(ctx.values['p12-passphrase-env'])] : ctx.env.LRW_P12_PASSPHRASE;
    if (!passphrase) throw new UsageError('请以环境变量 LRW_P12_PASSPHRASE 提供证书口令');
    const bytes = readFileBytes(file, '证书文件');
    await ctx.actor();
    const id = await ctx.call('signing.import', { base64: bytes.toString('base64'), passphrase });
    ctx.out(ctx.json ? jsonText(id, null, 2) : `已导入签名证书：${id.subjectCN}（颁发者 ${id.issuer}），有效期至 ${cnDay(id.notAfter)}`);
  },
  async sign(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new UsageError('请给出要签名的文件');
    await ctx.actor();
    const bytes = readFileBytes(file, '文件');
    const signed = await ctx.call('files.sign', { name: path.basename(file), base64: bytes.toString('base64') });
    const out = str(ctx, 'out', false) || (signed.kind === 'pdf' ? `${file.replace(/\.pdf$/i, '')}.signed.pdf` : `${file}.p7s`);
    fs.writeFileSync(out, Buffer.from(signed.base64, 'base64'));
    ctx.out(signed.kind === 'pdf' ? `已签名：${out}` : `已生成分离式签名：${out}`);
  },
  async verify(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new UsageError('请给出要校验的文件');
    const sigFile = str(ctx, 'sig', false);
    const bytes = readFileBytes(file, '文件');
    const sig = sigFile ? readFileBytes(sigFile, '文件') : undefined;
    // The case behind a file issued here is named only to a user (--as) who may read that case.
    if (typeof ctx.values.as === 'string' && ctx.values.as) await ctx.actor();
    const v = await ctx.call('documents.verify', { name: path.basename(file).slice(0, 255), base64: bytes.toString('base64'), ...(sig && { sigBase64: sig.toString('base64') }) });
    if (ctx.json) ctx.out(jsonText(v, null, 2));
    else {
      const lines = [v.summary];
      for (const w of v.warnings) lines.push(`提示：${w}。`);
      if (v.certificate) lines.push(`证书：${v.certificate.subject}；颁发者：${v.certificate.issuer}；序列号：${v.certificate.serial}；有效期 ${cnDay(v.certificate.notBefore)} 至 ${cnDay(v.certificate.notAfter)}`);
      if (v.issuedHere) {
        lines.push(v.issuedHere.caseShown
          ? `本系统签发：案件 ${v.issuedHere.caseNo}，${v.issuedHere.name}，${cn(v.issuedHere.issuedAt)}`
          : `本系统签发的文件，签发于 ${cn(v.issuedHere.issuedAt)}（案件信息仅向有权查阅该案件的用户显示，请加 --as 用户名）`);
      }
      ctx.out(lines.join('\n'));
    }
    return v.signed && v.intact ? 0 : 4;
  },
  async 'fonts show'(ctx) {
    if (ctx.values.as) await ctx.actor();
    const r = await ctx.call('settings.fonts', {});
    ctx.out(ctx.json ? jsonText(r, null, 2) : [`管理员指定的字体顺序：${r.order.length ? r.order.map((c) => c.file).join('、') : '（未指定，使用默认顺序）'}`, ...Object.entries(r.roles).map(([k, v]) => `  ${FONT_ROLE_LABELS[k] ?? k}：${v}`)].join('\n'));
  },
  async 'fonts order'(ctx) {
    await ctx.actor();
    const r = await ctx.call('settings.updateFonts', readJson(str(ctx, 'file')));
    ctx.out(ctx.json ? jsonText(r, null, 2) : ['已更新字体顺序。', ...Object.entries(r.roles).map(([k, v]) => `  ${FONT_ROLE_LABELS[k] ?? k}：${v}`)].join('\n'));
  },
  async 'audit verify'(ctx) {
    // Only with --server (the local command verifies the store itself: coreCommands): a background job on the server.
    if ((Array.isArray(ctx.values.against) && ctx.values.against.length) || ctx.positionals.length) {
      throw new UsageError('--against 须在数据库所在的机器上运行（lrw audit verify --db …），不能与 --server 同用');
    }
    if (!ctx.values.as) throw new UsageError('经服务器校验全过程记录须以 --as 指定操作人（系统管理员、法制机构负责人或审计管理员）');
    await ctx.actor();
    let job = await ctx.call('audit.verifyStart', { quick: ctx.values.quick === true });
    let shown = Date.now();
    while (!job.done) {
      await new Promise((r) => setTimeout(r, 500));
      job = await ctx.call('audit.verifyStatus', { jobId: job.jobId });
      if (!ctx.json && job.progress && Date.now() - shown >= 1000) {
        shown = Date.now();
        ctx.err(`  ${VERIFY_PHASES[job.progress.phase]}：${job.progress.done.toLocaleString()}${job.progress.total ? ` / ${job.progress.total.toLocaleString()}` : ''}`);
      }
    }
    if (job.error) throw new AppError(job.error.code as ErrorCode, job.error.message);
    const v = job.result!;
    if (ctx.json) ctx.out(jsonText(v));
    else ctx.out(v.message ?? (v.ok ? `全过程记录完整：共 ${v.count} 条事件。` : `全过程记录校验未通过：${v.firstBad?.reason ?? ''}`));
    if (!ctx.json) for (const w of v.warnings ?? []) ctx.out(`  注意：${w}`);
    if (!v.ok && job.alarmId) ctx.err(`已登记第 ${job.alarmId} 号记录校验警报：系统管理员和法制机构负责人将在应用中看到，确认须说明理由（lrw audit ack --alarm ${job.alarmId} --reason 理由 --as 用户）。`);
    return v.ok ? 0 : 4;
  },
};

/**
 * Commands on the database itself (its setup, its record-signing key, a whole-store verification with
 * files and witnesses, a backup): they need the core lrw opens on --db, and never run with --server.
 */
const coreCommands: Record<string, (ctx: CoreCtx) => Promise<number | void>> = {
  async init(ctx) {
    const password = await readPassword(ctx.values, `为管理员 ${str(ctx, 'admin')} 设置密码：`);
    const actor = await setup(ctx.core, {
      agencyName: str(ctx, 'agency'),
      docPrefix: str(ctx, 'prefix'),
      admin: { username: str(ctx, 'admin'), displayName: str(ctx, 'name'), password },
    }, { recordKeyAlgorithm: algorithmArg(ctx) });
    const key = await recordKeyStatus(ctx.core);
    if (ctx.json) return ctx.out(jsonText({ ...(await appStatus(ctx.core)), recordKey: key }));
    ctx.out(`已初始化：${str(ctx, 'agency')}，管理员 ${actor.username}（数据库 ${ctx.core.dbPath}）\n${recordKeyText(key)}`);
  },
  async 'audit verify'(ctx) {
    // --against FILE… (repeatable; files after it are taken too): exported checkpoints and issued PDFs.
    const against = [...(Array.isArray(ctx.values.against) ? ctx.values.against : []), ...ctx.positionals];
    const quick = ctx.values.quick === true;
    // Progress on stderr, about once a second, for stores that take that long.
    let shown = Date.now();
    const onProgress = ctx.json ? undefined : (p: VerifyProgress) => {
      if (Date.now() - shown < 1000) return;
      shown = Date.now();
      ctx.err(`  ${VERIFY_PHASES[p.phase]}：${p.done.toLocaleString()}${p.total ? ` / ${p.total.toLocaleString()}` : ''}`);
    };
    // remember: this machine keeps the head it verified, and warns if a store it opens later is behind it.
    const v = await verifyChain(ctx.core, { quick, remember: true, ...(against.length && { against }), ...(onProgress && { onProgress }) });
    // Whole-store work may run under a role that reads everything and writes nothing: say so.
    if (!ctx.json && (await ctx.core.db.readOnly())) {
      ctx.err(`以只读数据库角色${(await ctx.core.db.role()) ? `“${await ctx.core.db.role()}”` : ''}校验：可读取全部记录，不能写入。`);
    }
    if (ctx.json) ctx.out(jsonText(v));
    else ctx.out(v.message ?? (v.ok ? `全过程记录完整：共 ${v.count} 条事件。` : `全过程记录校验未通过：${v.firstBad?.reason ?? ''}`));
    if (!ctx.json) for (const w of v.warnings ?? []) ctx.out(`  注意：${w}`);
    if (!ctx.json) for (const w of v.witnesses ?? []) ctx.out(`  ${w.ok ? '相符' : '不符'}：${w.source}（${w.kind === 'pdf' ? '签发的文书' : '检查点'}${w.seq !== null ? `，第 ${w.seq} 号事件` : ''}）——${w.message}`);
    await raiseLrwAlarm(ctx, v);
    return v.ok ? 0 : 4;
  },
  async 'audit checkpoint'(ctx) {
    const out = str(ctx, 'out');
    if (fs.existsSync(out)) throw new AppError('CONFLICT', `文件“${out}”已存在，不覆盖：请另指定 --out。`);
    const cp = await exportCheckpoint(ctx.core, await ctx.actor());
    fs.writeFileSync(out, `${JSON.stringify(cp, null, 2)}\n`, { flag: 'wx' });
    ctx.out(ctx.json ? JSON.stringify(cp) : `已导出第 ${cp.seq} 号事件处的已签名检查点到 ${out}（哈希 ${cp.hash}，公钥指纹 ${cp.fingerprint}）。请离线保存；日后以 lrw audit verify --against ${out} 对照。`);
  },
  async 'audit key'(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'show') {
      const st = await recordKeyStatus(ctx.core);
      return ctx.out(ctx.json ? jsonText(st) : recordKeyText(st));
    }
    if (sub === 'init') {
      const k = await initRecordKey(ctx.core, await ctx.actor(), { algorithm: algorithmArg(ctx), rotate: ctx.values.rotate === true });
      return ctx.out(ctx.json ? jsonText(k) : `已创建记录签名密钥（${k.algorithm === 'sm2' ? 'SM2/SM3' : 'Ed25519'}）。\n${recordKeyText(await recordKeyStatus(ctx.core))}`);
    }
    if (sub === 'export') {
      const out = str(ctx, 'out');
      if (fs.existsSync(out)) throw new AppError('CONFLICT', `文件“${out}”已存在，不覆盖：请另指定 --out。`);
      const actor = await ctx.actor();
      const passphrase = await readKeyPassphrase(ctx.values, '为导出的记录签名密钥设置口令：', ctx.env, true);
      const r = await exportRecordKey(ctx.core, actor, passphrase);
      fs.writeFileSync(out, r.pem, { flag: 'wx', mode: 0o600 });
      return ctx.out(ctx.json ? jsonText({ out, fingerprint: r.fingerprint }) : `已导出记录签名私钥（指纹 ${r.fingerprint}）到 ${out}，以口令保护（PKCS#8）。请与口令分开、离线保管：持有它和口令者可以签署检查点。`);
    }
    if (sub === 'import') {
      const file = ctx.positionals[1];
      if (!file) throw new UsageError('请给出导出的密钥文件：lrw audit key import 文件.pem --as 系统管理员');
      const actor = await ctx.actor();
      const passphrase = await readKeyPassphrase(ctx.values, '密钥文件的口令：', ctx.env);
      const k = await importRecordKey(ctx.core, actor, fs.readFileSync(file, 'utf8'), passphrase);
      return ctx.out(ctx.json ? jsonText(k) : `已在本机导入记录签名私钥（指纹 ${k.fingerprint}）。`);
    }
    throw new UsageError('用法：lrw audit key show | init [--algorithm ed25519|sm2] [--rotate] | export --out 文件 | import 文件（--as 系统管理员）');
  },
  async backup(ctx) {
    const r = await backupTo(ctx.core, str(ctx, 'to'));
    if (ctx.json) ctx.out(jsonText(r));
    else {
      const lines = r.database === 'copied'
        ? [`已备份数据库到 ${r.dbFile}（附件与文书文件 ${r.files} 个，位于 ${r.filesDir}；签名证书 ${r.keys} 个，位于 ${r.keysDir}；备份说明 ${r.manifestFile}）`]
        : [
            `已备份附件与文书文件 ${r.files} 个到 ${r.filesDir}，签名证书 ${r.keys} 个到 ${r.keysDir}（备份说明 ${r.manifestFile}）。`,
            `数据库在 PostgreSQL 上，本命令不备份数据库：请由数据库管理员在本命令之前用 pg_dump 备份，例如：pg_dump --format=custom --file=lrw.dump "${ctx.core.dbPath}"`,
          ];
      lines.push('记录签名私钥不在备份中（持有备份者不得能伪造记录）：请用 lrw audit key export 另行导出并妥善保管；签名证书的口令在系统钥匙串中，也不在备份中。');
      for (const x of r.excluded) lines.push(`  未备份：${x.path}`);
      if (r.corruptFiles.length) lines.push(`警告：${r.corruptFiles.length} 个已存文件的内容与其 SHA-256 不符（已原样备份）：${r.corruptFiles.join('、')}`);
      ctx.out(lines.join('\n'));
    }
    return r.corruptFiles.length ? 4 : 0;
  },
};

/** Commands on whole stores: they open the databases they name themselves, not a core on --db. */
interface StoreCtx {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  out: (s: string) => void;
  err: (s: string) => void;
  /** The database --db, LRW_DB or the user data directory names. */
  dbPath: () => string;
}

const PROGRESS_LABELS: Record<string, string> = { files: '复制文件', case_search: '重建检索索引' };

function printCopy(ctx: StoreCtx, from: string, to: string, r: CopyStoreResult): void {
  if (ctx.json) return ctx.out(jsonText(r, null, 2));
  const v = r.verify;
  const width = Math.max(...r.tables.map((t) => t.name.length));
  const empty = r.tables.filter((t) => t.rows === 0).map((t) => t.name);
  const lines = [`已将 ${from} 复制到 ${to}：`, ...r.tables.filter((t) => t.rows > 0).map((t) => `  ${t.name.padEnd(width)}  ${t.rows} 行`)];
  if (empty.length) lines.push(`  空表：${empty.join('、')}`);
  lines.push(`  文件：${r.files} 个`);
  if (v.ok) {
    lines.push(`校验结果：通过——全过程记录共 ${v.count} 条事件，哈希链完整，末条哈希与源数据库一致（${v.lastHash ?? '无事件'}）；各表行数一致；附件与文书文件齐全。`);
  } else {
    lines.push('校验结果：未通过——');
    if (!v.chainOk) lines.push(`  全过程记录第 ${v.firstBad!.seq} 号事件不符：${v.firstBad!.reason}`);
    if (v.count !== v.sourceEvents) lines.push(`  事件条数不一致：源数据库 ${v.sourceEvents} 条，目标 ${v.count} 条`);
    if (v.lastHash !== v.sourceLastHash) lines.push(`  末条事件哈希不一致：源数据库 ${v.sourceLastHash ?? '无'}，目标 ${v.lastHash ?? '无'}`);
    for (const m of v.countMismatches) lines.push(`  表 ${m.table} 行数不一致：复制 ${m.copied} 行，目标现有 ${m.target} 行`);
    if (v.corruptFiles.length) lines.push(`  源文件内容与其 SHA-256 不符，未复制（${v.corruptFiles.length} 个）：${v.corruptFiles.join('、')}`);
    if (v.missingFiles.length) lines.push(`  目标文件目录缺少已登记的文件（${v.missingFiles.length} 个）：${v.missingFiles.join('、')}`);
  }
  ctx.out(lines.join('\n'));
}

const storeCommands: Record<string, (ctx: StoreCtx) => Promise<number | void>> = {
  async restore(ctx) {
    const from = typeof ctx.values.from === 'string' && ctx.values.from.trim() ? ctx.values.from : '';
    const to = typeof ctx.values.db === 'string' && ctx.values.db.trim() ? ctx.values.db : '';
    if (!from) throw new UsageError('缺少参数 --from（lrw backup --to 生成的备份）');
    if (!to) throw new UsageError('缺少参数 --db（还原到的新数据库文件；PostgreSQL 为已用 pg_restore 还原的数据库地址）');
    const files = (typeof ctx.values.files === 'string' && ctx.values.files.trim() ? ctx.values.files : undefined) ?? (process.env.LRW_FILES || undefined);
    const keyFile = process.env.LRW_RECORD_KEY_FILE;
    let r: RestoreResult;
    try {
      r = await restoreFrom({ from, to: isPostgresUrl(to) ? to : path.resolve(to), ...(files && { filesDir: files }), ...(keyFile && { recordKeyFile: keyFile }), onStep: (l) => ctx.err(l) });
    } catch (err) {
      if (!(err instanceof RestoreCheckFailed)) throw err;
      if (ctx.json) ctx.out(jsonText({ ok: false, reason: err.message, verify: err.verify ?? null }, null, 2));
      else ctx.out(`还原失败，未还原任何内容：${err.message}`);
      return 4;
    }
    if (ctx.json) return ctx.out(jsonText({ ok: true, ...r }, null, 2));
    const lines = r.database === 'restored'
      ? [`已还原到 ${r.target}（附件与文书文件 ${r.files} 个，位于 ${r.filesDir}；签名证书 ${r.keys} 个，位于 ${r.keysDir}）。`, '数据库完整性检查（PRAGMA integrity_check）：通过。']
      : [
          `已将附件与文书文件 ${r.files} 个还原到 ${r.filesDir}，签名证书 ${r.keys} 个还原到 ${r.keysDir}。`,
          `数据库在 PostgreSQL 上，数据库部分由 pg_restore 还原（本命令不还原数据库），已对 ${r.target} 校验。`,
        ];
    lines.push('每个文件的 SHA-256 均与其名称一致，数据库登记的文件齐全。');
    lines.push(`全过程记录校验通过：共 ${r.verify.count} 条事件${r.backupHead ? `，包含备份时的第 ${r.backupHead.seq} 号事件（哈希一致）` : ''}。`);
    for (const w of r.verify.warnings ?? []) lines.push(`  提示：${w}`);
    lines.push('记录签名私钥不在备份中：还原后的数据库要继续签署检查点，请用 lrw audit key import 导入用 lrw audit key export 导出的密钥（服务器：放入 LRW_RECORD_KEY_FILE 指定的密钥文件）。');
    ctx.out(lines.join('\n'));
  },
  async 'db copy'(ctx) {
    const to = typeof ctx.values.to === 'string' && ctx.values.to.trim() ? ctx.values.to : '';
    if (!to) throw new UsageError('缺少参数 --to（目标数据库，例如 postgres://用户@主机/数据库）');
    const from = typeof ctx.values.from === 'string' && ctx.values.from.trim() ? ctx.values.from : ctx.dbPath();
    const filesTo = typeof ctx.values['files-to'] === 'string' && ctx.values['files-to'].trim() ? ctx.values['files-to'] : '';
    if (!filesTo && isPostgresUrl(to)) throw new UsageError('目标为 PostgreSQL 时须以 --files-to 指定附件与文书文件的存放目录');
    const filesFrom = typeof ctx.values['files-from'] === 'string' && ctx.values['files-from'].trim() ? ctx.values['files-from'] : undefined;
    const abs = (p: string) => (isPostgresUrl(p) ? p : path.resolve(p));
    let last = 0;
    let lastTable = '';
    const onProgress = (p: CopyProgress) => {
      const now = Date.now();
      // Every table's end, and at most one line a second in between.
      if (p.rows !== p.total && p.table === lastTable && now - last < 1000) return;
      if (p.rows === 0) return;
      last = now;
      lastTable = p.table;
      ctx.err(`${PROGRESS_LABELS[p.table] ?? `复制 ${p.table}`}：${p.rows}/${p.total}`);
    };
    const r = await copyStore({ from: abs(from), to: abs(to), ...(filesFrom && { fromFiles: filesFrom }), toFiles: filesTo || `${path.resolve(to)}-files`, onProgress });
    printCopy(ctx, redact(abs(from)), redact(to), r);
    return r.verify.ok ? 0 : 4;
  },
  async 'db migrate'(ctx) {
    const target = ctx.dbPath();
    let before: number | null = null;
    try {
      const probe = await openDb(target, { migrate: false });
      before = await schemaVersion(probe);
      await probe.close();
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'DB_NEEDS_MIGRATION')) throw err;
    }
    const db = await openDb(target);
    try {
      const v = await schemaVersion(db);
      const granted = await regrant(db);
      if (ctx.json) return ctx.out(jsonText({ database: db.location, before, version: v, latest: LATEST_VERSION, granted }));
      ctx.out(before === v ? `数据库 ${db.location} 的表结构已是最新版本（${v}）。` : `数据库 ${db.location} 的表结构已升级：${before ?? '旧版本'} → ${v}。`);
      if (db.engine === 'postgres') {
        ctx.out(granted.length ? `已为数据库角色 ${granted.join('、')} 重新授权（应用角色不能修改或删除记录，只读角色只能读取）。` : '未找到数据库角色 lrw_app / lrw_reader：请先创建，再执行一次 lrw db migrate。');
      }
    } finally {
      await db.close();
    }
  },
};

const redact = displayTarget;

const OPTIONS = {
  db: { type: 'string' },
  server: { type: 'string' },
  ca: { type: 'string' },
  files: { type: 'string' },
  as: { type: 'string' },
  'password-file': { type: 'string' },
  'new-password-file': { type: 'string' },
  set: { type: 'string' },
  action: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  file: { type: 'string' },
  'max-mib': { type: 'string' },
  note: { type: 'string' },
  agency: { type: 'string' },
  prefix: { type: 'string' },
  admin: { type: 'string' },
  name: { type: 'string' },
  query: { type: 'string' },
  state: { type: 'string' },
  decision: { type: 'string' },
  opinion: { type: 'string' },
  'override-reason': { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
  days: { type: 'string' },
  natural: { type: 'boolean' },
  reason: { type: 'string' },
  kind: { type: 'string' },
  outcome: { type: 'string' },
  police: { type: 'string' },
  procuratorate: { type: 'string' },
  supervisory: { type: 'string' },
  user: { type: 'string' },
  source: { type: 'string' },
  case: { type: 'string' },
  text: { type: 'string' },
  out: { type: 'string' },
  recipients: { type: 'string' },
  version: { type: 'string' },
  draft: { type: 'string' },
  pdf: { type: 'boolean' },
  docx: { type: 'boolean' },
  sig: { type: 'string' },
  'p12-passphrase-env': { type: 'string' },
  'files-from': { type: 'string' },
  'files-to': { type: 'string' },
  'review-all': { type: 'string' },
  'extension-approver': { type: 'string' },
  against: { type: 'string', multiple: true },
  algorithm: { type: 'string' },
  rotate: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  alarm: { type: 'string' },
  custodian: { type: 'string' },
  xlsx: { type: 'string' },
  all: { type: 'boolean' },
  quick: { type: 'boolean' },
} as const;

const VERIFY_PHASES: Record<VerifyProgress['phase'], string> = {
  events: '校验事件', rows: '校验记录行', files: '校验文件', checkpoints: '校验检查点', witnesses: '对照外部见证',
};

export interface RunIO {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs one command line; returns the exit code. Never throws. */
export async function run(argv: string[], io: RunIO): Promise<number> {
  // The agency server has its own options (main/server/cli.ts).
  if (argv[0] === 'serve') return await runServe(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`用法错误：${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const two = positionals.slice(0, 2).join(' ');
  const known = (n: string) => !!(commands[n] || coreCommands[n] || storeCommands[n]);
  const name = known(two) ? two : positionals[0];
  if (!known(name)) {
    io.err(`未知命令“${positionals.join(' ')}”。\n\n${USAGE}`);
    return 2;
  }
  const server = typeof values.server === 'string' ? values.server.trim() : '';
  let core: Core | undefined;
  let caller: Caller | undefined;
  try {
    if (typeof values.server === 'string' && !server) throw new UsageError('--server 须给出服务器地址，例如 --server https://lrw.agency.local:8443');
    if (values.ca && !server) throw new UsageError('--ca 只与 --server 同用（信任服务器证书的 CA）');
    if (server && values.db) throw new UsageError('--server 与 --db 不能同用：经服务器操作时不需要数据库');
    if (server && !commands[name]) throw new UsageError(`“lrw ${name}”直接操作数据库，须在数据库所在的机器上以 --db 运行，不能与 --server 同用`);
    const dbPathOf = () => resolveDbPath({ argv: values.db ? ['--db', values.db] : [], env: io.env, userDataDir: defaultUserDataDir(process.platform, io.env, os.homedir()) });
    const base: IOCtx = { values, positionals: positionals.slice(name.split(' ').length), json: !!values.json, out: io.out, err: io.err, env: io.env };
    if (storeCommands[name]) {
      const sctx: StoreCtx = { values, positionals: positionals.slice(2), json: !!values.json, out: io.out, err: io.err, dbPath: dbPathOf };
      return (await storeCommands[name](sctx)) ?? 0;
    }
    if (server) {
      // The server holds no private key: this machine's keys sign (LRW_KEYS_DIR, passphrases in its keychain).
      const keysDir = io.env.LRW_KEYS_DIR || path.join(defaultUserDataDir(process.platform, io.env, os.homedir()), 'signing-keys');
      let keychain: Promise<SecretStore> | null = null;
      const signer = new DeskSigner({ keysDir: path.resolve(keysDir), secrets: () => (keychain ??= createKeytarSecretStore()) });
      caller = new RemoteCaller(server, { ...(typeof values.ca === 'string' && { caFile: values.ca }), env: io.env, signer });
    }
    else {
      const filesDir = (typeof values.files === 'string' && values.files) || io.env.LRW_FILES || undefined;
      const recordKeyFile = io.env.LRW_RECORD_KEY_FILE || undefined;
      core = await openCore({ dbPath: dbPathOf(), ...(filesDir && { filesDir: path.resolve(filesDir) }), ...(recordKeyFile && { recordKeyFile }) });
      const c = core;
      const coreCmd = coreCommands[name];
      if (coreCmd) {
        const cctx: CoreCtx = {
          ...base,
          core: c,
          actor: async () => {
            if (!values.as) throw new UsageError('此命令须以 --as 指定操作人');
            const password = await readPassword(values, `用户 ${values.as} 的密码：`, io.env);
            const actor = await authenticate(c, { username: values.as, password });
            await c.db.setActingUser(actor.id);
            return actor;
          },
        };
        // One connection for the whole command, acting as the --as user once authenticated (row-level security).
        return (await c.db.actingAs(null, () => coreCmd(cctx))) ?? 0;
      }
      caller = new LocalCaller(c);
    }
    const through = caller;
    let me: UserView | undefined;
    const ctx: Ctx = {
      ...base,
      caller: through,
      call: (channel, input) => through.call(channel, input as never),
      actor: async () => {
        if (me) return me;
        if (!values.as) throw new UsageError('此命令须以 --as 指定操作人');
        const password = await readPassword(values, `用户 ${values.as} 的密码：`, io.env);
        me = (await through.signIn(values.as, password)).user;
        return me;
      },
    };
    return (await commands[name](ctx)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`用法错误：${err.message}\n（lrw --help 查看用法）`);
      return 2;
    }
    const e = toErrorPayload(err);
    // The stack is for developers; administrators see the Chinese message (LRW_DEBUG=1 shows both).
    if (e.code === 'INTERNAL' && io.env.LRW_DEBUG) io.err(`[内部错误] ${(err as Error)?.stack ?? String(err)}`);
    io.err(`错误（${e.code}）：${e.message}`);
    const cause = (e.details as { cause?: string } | undefined)?.cause;
    if (cause) io.err(`（技术原因：${cause}）`);
    if (e.code === 'SERVER_UNREACHABLE' || e.code === 'CERT_UNTRUSTED') return 5;
    return e.code === 'UNAUTHENTICATED' || e.code === 'ACCOUNT_LOCKED' || e.code === 'PASSWORD_CHANGE_REQUIRED' ? 3 : 1;
  } finally {
    if (caller) await caller.close().catch(() => undefined);
    if (core) await closeCore(core);
  }
}

if (require.main === module) {
  run(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s), env: process.env }).then((code) => {
    process.exitCode = code;
  });
}

/**
 * A failed `lrw audit verify` raises the alarm the app shows to the system administrator and the legal
 * office head (services/alarms.ts), as the one who ran it (--as) or as 命令行. A role that may not write
 * (PostgreSQL's reader role) cannot raise it: said so, and the exit code stays 4.
 */
async function raiseLrwAlarm(ctx: CoreCtx, v: AuditVerifyView): Promise<void> {
  if (v.ok) return;
  if (await ctx.core.db.readOnly()) {
    ctx.err('未能登记记录校验警报：当前数据库角色只读。请以应用的数据库角色再次校验，或直接告知系统管理员和法制机构负责人。');
    return;
  }
  let actor: Actor | null = null;
  if (ctx.values.as) {
    // A failed sign-in must not swallow the alarm: it is then raised as 命令行, and said so.
    try {
      actor = await ctx.actor();
    } catch (err) {
      ctx.err(`“${ctx.values.as}”身份验证未通过（${toErrorPayload(err).message}），警报以“命令行”名义登记。`);
    }
  }
  const id = await raiseAlarmIfFailed(ctx.core, actor, v, { through: 'lrw', quick: ctx.values.quick === true });
  ctx.err(`已登记第 ${id} 号记录校验警报：系统管理员和法制机构负责人将在应用中看到，确认须说明理由（lrw audit ack --alarm ${id} --reason 理由 --as 用户）。`);
}

function algorithmArg(ctx: IOCtx): RecordKeyAlgorithm {
  const a = typeof ctx.values.algorithm === 'string' ? ctx.values.algorithm.toLowerCase() : 'ed25519';
  if (a !== 'ed25519' && a !== 'sm2') throw new UsageError('--algorithm 须为 ed25519 或 sm2');
  return a;
}

/** The setup report's and `audit key show`'s lines about the record-signing key. */
function recordKeyText(st: RecordKeyStatus): string {
  if (!st.key) return `记录签名密钥：未创建。${st.problem ?? ''}`;
  const lines = [
    `记录签名密钥：${st.key.algorithm === 'sm2' ? 'SM2（SM3 摘要）' : 'Ed25519'}，公钥指纹（SHA-256）${st.key.fingerprint}`,
    st.privateKeyHere ? `私钥保存在本机${st.storage}中（不在数据库和备份中）。` : `本机不持有私钥：${st.problem ?? ''}`,
    '公钥（请打印或另存，与备案材料一并保管）：',
    st.key.publicKeyPem.trim(),
  ];
  return lines.join('\n');
}
