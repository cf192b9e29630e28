/**
 * The one script every page of the site carries: the theme choice (light / dark / system).
 *
 * It runs inline in <head>, before the first paint, so a stored choice never flashes the other
 * theme. It also listens for the header's picker (`[data-theme-picker]`) by event delegation, so
 * the picker needs no JavaScript file. Storage key and values are Starlight's (`starlight-theme`:
 * 'light' | 'dark' | '' for system), so the docs and the site share one choice.
 *
 * Astro's CSP hashes the scripts it bundles, not `is:inline` ones (withastro/astro#16678):
 * astro.config.mjs adds THEME_SCRIPT_HASH to `security.csp.scriptDirective.hashes`. Build and
 * server only (node:crypto); the browser gets the script text, never this module.
 */
import { createHash } from 'node:crypto';

export const THEME_STORAGE_KEY = 'starlight-theme';

// `data-theme` is set only for an explicit choice; without it the CSS follows the system
// (prefers-color-scheme), with or without JavaScript. An explicit choice also points whatever is
// marked `data-scheme` at that scheme by rewriting its `media`: the theme-color metas (before this
// script, so the browser's toolbar matches from the start) and, once the page is parsed, the dark
// <source>s of pictures (ProductShot.astro), so images follow the picker, not only the system. `data-js` shows the picker (it needs this script).
export const THEME_SCRIPT = `(()=>{const d=document.documentElement,k=${JSON.stringify(THEME_STORAGE_KEY)};let t="";try{t=localStorage.getItem(k)||""}catch{}const a=v=>{const c=v==="light"||v==="dark";c?d.dataset.theme=v:delete d.dataset.theme;for(const m of document.querySelectorAll("[data-scheme]"))m.media=c?m.dataset.scheme===v?"all":"not all":"(prefers-color-scheme: "+m.dataset.scheme+")"};a(t);d.dataset.js="";addEventListener("change",e=>{const p=e.target;if(!p.matches("[data-theme-picker]"))return;t=p.value;try{localStorage.setItem(k,t)}catch{}a(t)});addEventListener("DOMContentLoaded",()=>{a(t);for(const p of document.querySelectorAll("[data-theme-picker]"))p.value=t})})()`;

/** The CSP source expression for THEME_SCRIPT ('sha256-…'). */
export const THEME_SCRIPT_HASH: `sha256-${string}` = `sha256-${createHash('sha256').update(THEME_SCRIPT).digest('base64')}`;
