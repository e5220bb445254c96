// One document model for every official document of a case. Templates produce it (templates issue);
// the DOCX and PDF renderers consume it (documents issue), so both files carry the same content.

export type Block =
  /** 一、 level-one heading (黑体) */
  | { type: 'heading1'; text: string }
  /** （一） level-two heading (楷体) */
  | { type: 'heading2'; text: string }
  /** Body paragraph (仿宋 3号), first line indented two characters unless indent is false. */
  | { type: 'paragraph'; text: string; indent?: boolean; align?: 'left' | 'right' | 'center' }
  /** A table, e.g. the nine findings; the first row is a header row when header is true. */
  | { type: 'table'; header?: boolean; rows: string[][]; widths?: number[] }
  /** Marks text the user must still fill in (never present in a finalised document). */
  | { type: 'placeholder'; text: string };

export interface SignatureBlock {
  /** 落款: the issuing agency or office. */
  agency: string;
  /** Chinese date in Arabic numerals: 2026年11月23日. */
  date: string;
  /** Filled in when the document is signed. */
  signer?: { name: string; role: string };
  /** Seal image (PNG bytes, base64) if the administrator uploaded one. */
  sealPngBase64?: string;
}

export interface DocModel {
  /** Template id, e.g. 'review-opinion'. */
  kind: string;
  /** 标题 (2号小标宋), e.g. 法制审核意见书 */
  title: string;
  /** 文号 like 某监罚〔2026〕12号; optional for internal forms. */
  docNumber?: string;
  /** 主送机关 / recipient line. */
  recipient?: string;
  blocks: Block[];
  signature: SignatureBlock;
  /** A date in the document came from a year without an official holiday schedule (待官方安排确认). */
  provisional?: boolean;
}
