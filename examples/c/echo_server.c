/* Seed 001, "Simple Example: Echo Server" with server protocol (v1) and setup_address(). The twin
 * of examples/echo-server.ts.
 * Usage: echo_server [port=0] [host] [clients=0: forever] */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_QUEUE 5
#define MAXREQ 4096

static const char *host;

/* server addresss - itself */
static struct addrinfo *setup_address(const char *port) {
  struct addrinfo *server;
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  int rv = getaddrinfo(host, port, &hints, &server);
  if (rv != 0) {
    fprintf(stderr, "getaddrinfo failed: %s\n", gai_strerror(rv));
    exit(1);
  }
  return server;
}

static void serve_client(int consockfd) {
  char reqbuf[MAXREQ];
  for (;;) {
    ssize_t n = read(consockfd, reqbuf, MAXREQ - 1); /* Recv */
    if (n <= 0) return;
    write(STDOUT_FILENO, reqbuf, n);
    write(consockfd, reqbuf, n); /* echo */
  }
}

int main(int argc, char *argv[]) {
  const char *port = argc > 1 ? argv[1] : "0";
  host = argc > 2 && argv[2][0] ? argv[2] : NULL;
  int clients = argc > 3 ? atoi(argv[3]) : 0;

  struct addrinfo *server = setup_address(port);
  int server_socket = socket(server->ai_family, server->ai_socktype, server->ai_protocol);
  if (server_socket < 0 || bind(server_socket, server->ai_addr, server->ai_addrlen) < 0 ||
      listen(server_socket, MAX_QUEUE) < 0) {
    perror("server");
    exit(1);
  }
  freeaddrinfo(server);
  struct sockaddr_storage where;
  socklen_t len = sizeof where;
  char text[NI_MAXHOST], serv[NI_MAXSERV];
  getsockname(server_socket, (struct sockaddr *)&where, &len);
  getnameinfo((struct sockaddr *)&where, len, text, sizeof text, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
  fprintf(stderr, "Listening on %s:%s\n", text, serv);
  for (int served = 0; clients == 0 || served < clients; served++) {
    int conn_socket = accept(server_socket, NULL, NULL);
    if (conn_socket < 0) continue;
    serve_client(conn_socket);
    close(conn_socket);
  }
  close(server_socket);
  return 0;
}
