export { openMessageMedia, MEDIA_SIZE_LIMIT, type OpenedMedia } from "./open";
