export { default } from '../../tools/config/eslint.mjs';
