import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

const PIXEL_CODE = /^[A-Z0-9]{10,32}$/;

/** tiktok.pixelId has the shape of a TikTok pixel code (the schema accepts any string, even empty). */
export const pixelId: ConfigRule = ({ merged }) => {
  const id = merged.tiktok?.pixelId ?? "";
  if (PIXEL_CODE.test(id)) return [];
  return [
    {
      path: ["tiktok", "pixelId"],
      message: id === "" ? "the pixel id is empty" : "not a TikTok pixel code",
      got: describeValue(id),
      allowed:
        "10-32 uppercase letters and digits, e.g. C4A1B2C3D4E5F6G7H8I9 (Events Manager > pixel settings)",
    },
  ];
};
