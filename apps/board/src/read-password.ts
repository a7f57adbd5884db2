/** Reads a password from a terminal without echoing it, or from piped stdin (one line). */
export async function readPassword(
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) {
    let text = "";
    for await (const chunk of input) text += String(chunk);
    return text.replace(/\r?\n$/, "");
  }
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let password = "";
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n") {
            input.off("data", onData);
            output.write("\n");
            return resolve(password);
          }
          if (char === "\u0003") {
            input.off("data", onData);
            output.write("\n");
            return reject(new Error("cancelled"));
          }
          if (char === "\u007f" || char === "\b") password = password.slice(0, -1);
          else password += char;
        }
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
  }
}
