/* SPDX-License-Identifier: MIT */
/* cmd_convert.h - the `gaztag convert` command, linked into the binary. */
#ifndef GZ_CMD_CONVERT_H
#define GZ_CMD_CONVERT_H

/* Run `gaztag convert` with argv[0] == "convert"; returns the exit code. */
int cmd_convert(int argc, char **argv);

#endif
