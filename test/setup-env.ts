// Tests see Shanghai time like the users do, and never read a developer's .env.
process.env.TZ = 'Asia/Shanghai';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
