/** @type {import('jest').Config} */
module.exports = { preset: 'temporal-journeys' };
