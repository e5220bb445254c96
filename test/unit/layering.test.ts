// One direction only: renderer -> preload contract -> main/core. This test parses every source file
// (with the TypeScript parser, so comments and strings never count) and fails on a forbidden import,
// naming the file, the line and the import. The second block proves each rule can fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const SOURCE_EXT = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SCANNED_DIRS = ['main', 'preload', 'renderer'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'release', '.git']);

export interface ImportRef {
  specifier: string;
  /** `import type …` / `export type … from` / `import('x').T` in a type position: erased, no runtime edge. */
  typeOnly: boolean;
  line: number;
}

/** Every module a file refers to: static imports and re-exports, import =, dynamic import(), require(). */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const declarationFile = fileName.endsWith('.d.ts');
  const out: ImportRef[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ specifier: spec.text, typeOnly: typeOnly || declarationFile, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true, node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal as ts.Expression, true, node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if ((isDynamicImport || isRequire) && node.arguments.length > 0) add(node.arguments[0], false, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.[jt]sx$/.test(fileName)) return fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(childRel);
      } else if (entry.isFile() && SOURCE_EXT.test(entry.name)) {
        files.push(childRel);
      }
    }
  };
  SCANNED_DIRS.forEach(walk);
  return files.sort();
}

/** Repository-relative POSIX path an import points at, or null for a package ('electron', 'zod', 'node:fs'). */
function target(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
}

const under = (p: string | null, dir: string) => p !== null && (p === dir || p.startsWith(`${dir}/`));
const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');

interface Rule {
  /** Which files the rule applies to (repository-relative POSIX path). */
  applies: (file: string) => boolean;
  /** Returns why the import is forbidden, or null. */
  check: (imp: ImportRef, resolved: string | null) => string | null;
}

const RULES: Rule[] = [
  {
    applies: (f) => under(f, 'main/core'),
    check: (imp, to) => {
      if (isElectron(imp.specifier)) return "main/core must never import 'electron'";
      if (under(to, 'main/electron')) return 'main/core must never import main/electron';
      if (under(to, 'main/cli')) return 'main/core must never import main/cli';
      if (under(to, 'main/server')) return 'main/core must never import main/server';
      if (under(to, 'renderer')) return 'main/core must never import renderer';
      return null;
    },
  },
  {
    applies: (f) => under(f, 'renderer'),
    check: (imp, to) => {
      if (imp.typeOnly) return null;
      if (under(to, 'main')) return "renderer may import main/ only with 'import type' (it talks to the core through window.api)";
      if (isElectron(imp.specifier)) return "renderer must not import 'electron' (it talks to the core through window.api)";
      return null;
    },
  },
  {
    // The server is a caller like ipcMain: it reaches the rules only through main/core and the contract.
    applies: (f) => under(f, 'main/server'),
    check: (imp, to) => {
      if (isElectron(imp.specifier)) return "main/server must never import 'electron'";
      if (under(to, 'main/electron') || under(to, 'main/cli')) return 'main/server may import main/core and the contract only';
      if (under(to, 'renderer')) return 'main/server must never import renderer';
      return null;
    },
  },
  {
    applies: (f) => f === 'preload/contract.ts',
    check: (imp) => (isElectron(imp.specifier) ? "preload/contract.ts must not import 'electron' (Node tests, the CLI and the harness load it)" : null),
  },
];

export function layeringViolations(root: string): { files: number; violations: string[] } {
  const files = sourceFiles(root);
  const violations: string[] = [];
  for (const file of files) {
    const rules = RULES.filter((r) => r.applies(file));
    if (rules.length === 0) continue;
    for (const imp of importsOf(file, fs.readFileSync(path.join(root, file), 'utf8'))) {
      const to = target(file, imp.specifier);
      for (const rule of rules) {
        const why = rule.check(imp, to);
        if (why) violations.push(`${file}:${imp.line} imports '${imp.specifier}' — ${why}`);
      }
    }
  }
  return { files: files.length, violations };
}

const REPO = path.resolve(__dirname, '../..');

describe('layering of the real source tree', () => {
  it('has no forbidden imports', async () => {
    const { files, violations } = layeringViolations(REPO);
    expect(files, 'the scanner found too few files; is it looking in the right place?').toBeGreaterThan(20);
    expect(violations, `forbidden imports:\n${violations.join('\n')}`).toEqual([]);
  });

  it('actually looks at the files that matter', async () => {
    const contract = importsOf('preload/contract.ts', fs.readFileSync(path.join(REPO, 'preload/contract.ts'), 'utf8'));
    expect(contract.map((i) => i.specifier)).toContain('zod');
    const api = importsOf('main/core/api.ts', fs.readFileSync(path.join(REPO, 'main/core/api.ts'), 'utf8'));
    expect(api.some((i) => i.specifier === '../../preload/contract')).toBe(true);
  });
});

describe('the layering check catches each kind of violation', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-layering-'));
  afterAll(async () => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  write('main/core/services/bad-electron.ts', "import { app } from 'electron';\nexport const x = app;\n");
  write('main/core/services/bad-electron-sub.ts', "export const y = () => require('electron/main');\n");
  write('main/core/db/bad-glue.ts', "// a comment mentioning 'electron' is fine\nimport { registerIpc } from '../../electron/ipc';\n");
  write('main/core/bad-type-glue.ts', "import type { X } from '../electron/trust';\n");
  write('main/core/bad-cli.ts', "export * from '../cli/lrw';\n");
  write('main/core/bad-dynamic.ts', "export const load = () => import('../electron/main');\n");
  write('main/core/bad-server.ts', "import { startServer } from '../server/server';\nexport const s = startServer;\n");
  write('main/server/bad-electron-glue.ts', "import { registerIpc } from '../electron/ipc';\nexport const r = registerIpc;\n");
  write('renderer/src/bad-value.ts', "import { dispatch } from '../../main/core/api';\nexport const d = dispatch;\n");
  write('renderer/src/bad-inline-type.tsx', "import { type Core } from '../../main/core/services/core';\nexport type C = Core;\n");
  write('renderer/src/bad-electron.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n");
  write('preload/contract.ts', "import type { IpcRenderer } from 'electron';\nexport type R = IpcRenderer;\n");
  // Allowed:
  write('renderer/src/ok.ts', "import type { Api } from '../../preload/contract';\nimport type { CaseDetail } from '../../main/core/domain/views';\nexport type { ErrorPayload } from '../../main/core/domain/errors';\nconst s = \"import x from '../../main/core/api'\";\nexport type A = Api | CaseDetail | typeof s;\n");
  write('main/core/ok.ts', "import { z } from 'zod';\nimport { channels } from '../../preload/contract';\nexport const a = [z, channels];\n");
  write('main/server/ok.ts', "import Fastify from 'fastify';\nimport { dispatch } from '../core/api';\nimport { CHANNELS } from '../../preload/contract';\nexport const v = [Fastify, dispatch, CHANNELS];\n");
  write('main/electron/ok.ts', "import { app } from 'electron';\nimport { dispatch } from '../core/api';\nexport const b = [app, dispatch];\n");
  write('preload/index.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n");

  const { violations } = layeringViolations(root);
  const reported = (file: string, spec: string) => violations.some((v) => v.startsWith(`${file}:`) && v.includes(`imports '${spec}'`));

  it.each([
    ['main/core/services/bad-electron.ts', 'electron'],
    ['main/core/services/bad-electron-sub.ts', 'electron/main'],
    ['main/core/db/bad-glue.ts', '../../electron/ipc'],
    ['main/core/bad-type-glue.ts', '../electron/trust'],
    ['main/core/bad-cli.ts', '../cli/lrw'],
    ['main/core/bad-dynamic.ts', '../electron/main'],
    ['main/core/bad-server.ts', '../server/server'],
    ['main/server/bad-electron-glue.ts', '../electron/ipc'],
    ['renderer/src/bad-value.ts', '../../main/core/api'],
    ['renderer/src/bad-inline-type.tsx', '../../main/core/services/core'],
    ['renderer/src/bad-electron.ts', 'electron'],
    ['preload/contract.ts', 'electron'],
  ])('reports %s importing %s', (file, spec) => {
    expect(reported(file, spec), violations.join('\n')).toBe(true);
  });

  it('reports the line of the offending import', async () => {
    expect(violations).toContain(
      "main/core/db/bad-glue.ts:2 imports '../../electron/ipc' — main/core must never import main/electron",
    );
  });

  it('leaves allowed imports alone', async () => {
    expect(violations.filter((v) => /\/ok\.ts|preload\/index\.ts/.test(v))).toEqual([]);
    expect(violations).toHaveLength(12);
  });
});
