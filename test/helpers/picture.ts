import type { Picture } from "../../src/digest/post.ts";

/** A real PNG of one pixel, standing in for the whiteboard picture another part of the app draws. */
export const ONE_PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

export function fakePicture(png: Buffer = ONE_PIXEL_PNG): Picture {
  return {
    png,
    filename: "north-team-2016-W09.png",
    title: "North Team whiteboard, week to 01/03/16: cases by practice element",
    width: 1,
    height: 1,
  };
}
