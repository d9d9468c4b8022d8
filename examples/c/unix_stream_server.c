/* Seed 000, "Unix Socket demo" (server): bind a socket file, listen, answer each client. The twin
 * of examples/unix-stream-server.ts.
 * Usage: unix_stream_server <path> [clients=1] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  const char *path = argc > 1 ? argv[1] : "unix_socket";
  int clients = argc > 2 ? atoi(argv[2]) : 1;
  struct sockaddr_un addr;
  if (strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "path too long for sun_path\n");
    return 1;
  }
  unlink(path);
  int listenfd = socket(AF_UNIX, SOCK_STREAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  if (bind(listenfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listenfd, 5) < 0) {
    perror("bind/listen");
    return 1;
  }
  printf("Server listening on %s\n", path);
  fflush(stdout);
  char buf[257];
  for (int served = 0; clients == 0 || served < clients; served++) {
    int connectfd = accept(listenfd, NULL, NULL);
    if (connectfd < 0) continue;
    ssize_t n = recv(connectfd, buf, 256, 0);
    buf[n > 0 ? n : 0] = '\0';
    printf("Received: %s\n", buf);
    fflush(stdout);
    const char *reply = "Hello from the server";
    send(connectfd, reply, strlen(reply), 0);
    close(connectfd);
  }
  close(listenfd);
  unlink(path);
  return 0;
}
