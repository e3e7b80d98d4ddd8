/**
 * The folder rules of ARCHITECTURE.md, checked by `npm run lint` (and so by CI).
 * Capabilities are the folders directly under src/ except platform/; platform/ is the shared machinery.
 */
const CAP = '^src/(?!platform/)([^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycle between files (and so none between folders), dynamic and type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'No cycle between folders either: two folders that import each other round are one concept, or a layer bent back.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-capability',
      severity: 'error',
      comment: 'The shared machinery (src/platform) imports no capability and no composition root.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'capabilities-meet-through-index',
      severity: 'error',
      comment: 'A capability reaches another only through its index.ts (its public face).',
      from: { path: CAP },
      to: { path: '^src/(?!platform/)[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'capabilities-do-not-import-the-roots',
      severity: 'error',
      comment: 'main.ts, app.ts, cli.ts and capabilities.ts compose the app; nothing below them imports them.',
      from: { path: '^src/.+/' },
      to: { path: '^src/(main|app|cli|capabilities)\\.ts$' },
    },
    {
      name: 'pure-rules-have-no-io',
      severity: 'error',
      comment:
        'A domain/ folder holds pure rules: at run time they import only other pure rules (domain/ folders, ' +
        'the personal-data checks, the forms\' Parsed type) and pure libraries. No database, network, file system or clock. ' +
        'A type-only import is erased at run time and so allowed.',
      from: { path: '/domain/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['/domain/', '^src/platform/personal-data/', '^src/platform/forms/parsed\\.ts$', '(^|/)node_modules/(chinese-days|zod)/'],
      },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A source file nothing imports is dead code (entry points aside).',
      from: { orphan: true, path: '^src/', pathNot: ['^src/(main|cli)\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    detectJSDocImports: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
